import type { AddressInfo } from 'node:net';
import { silentLogger } from '@pyrometer/telemetry';
import { fuzzHttp } from '@pyrometer/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CONTROL_ROUTES, startControlServer } from '../src/control-server.js';
import { applyReporterKeys, defaultReporterConfig } from '../src/reporter-config.js';
import { SimulatorRunner } from '../src/runner.js';
import { defaultSimulatorOptions } from '../src/simulator.js';

/** A control server over a runner that is never started (nothing is pushed). */
async function startControl(): Promise<string> {
  const reporter = applyReporterKeys(defaultReporterConfig(), { hostUrl: 'http://127.0.0.1:9', jobName: 'flink' });
  const runner = new SimulatorRunner({ reporter, simulator: { ...defaultSimulatorOptions(), tickMs: reporter.intervalMs }, logger: silentLogger() });
  const server = await startControlServer(runner, '127.0.0.1:0', silentLogger());
  onTestFinished(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the simulator control server', () => {
  it('switches scenarios and answers 400 for an unknown one, also with a malformed escape (it used to crash on %ZZ and //)', async () => {
    const base = await startControl();
    expect(await (await fetch(`${base}/scenario/backpressure`, { method: 'POST' })).json()).toEqual({ scenario: 'backpressure' });
    const unknown = await fetch(`${base}/scenario/nope`, { method: 'POST' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/nope/);
    expect(((await (await fetch(`${base}/status`)).json()) as { scenario: string }).scenario).toBe('backpressure');
  });

  it('answers every malformed request at every route below 500 with a message, and stays up', async () => {
    const base = await startControl();
    const report = await fuzzHttp({ baseUrl: base, routes: CONTROL_ROUTES, healthPath: '/status' });
    expect(report.findings).toEqual([]);
    expect(report.ran).toBeGreaterThan(100);
  }, 120_000);
});
