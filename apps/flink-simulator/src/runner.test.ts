import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@pyrometer/telemetry';
import { describe, expect, it, onTestFinished } from 'vitest';
import { defaultReporterConfig } from './reporter-config.js';
import { SimulatorRunner } from './runner.js';
import { defaultSimulatorOptions } from './simulator.js';

describe('SimulatorRunner.stop', () => {
  it('sends DELETEs only after the pushes under way are answered, so no group comes back', async () => {
    // A Pushgateway stand-in that holds every PUT until a DELETE arrives (or 2 s pass) and
    // records the order in which requests arrive and PUTs are answered.
    const events: string[] = [];
    let releasePuts: () => void = () => {};
    const deleteSeen = new Promise<void>((resolve) => (releasePuts = resolve));
    const server = createServer((req, res) => {
      events.push(`${req.method} received`);
      req.resume();
      if (req.method === 'DELETE') {
        releasePuts();
        res.writeHead(202).end();
        return;
      }
      const answer = (): void => {
        events.push('PUT answered');
        res.writeHead(200).end();
      };
      void Promise.race([deleteSeen, new Promise((resolve) => setTimeout(resolve, 2_000))]).then(answer);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => void server.close());
    const runner = new SimulatorRunner({
      reporter: { ...defaultReporterConfig(), hostUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, jobName: 'flink' },
      simulator: { ...defaultSimulatorOptions(), jobs: 1, taskManagers: 1, parallelism: 1 },
      logger: silentLogger(),
    });
    const report = runner.reportOnce();
    await new Promise((resolve) => setImmediate(resolve));
    await runner.stop();
    await report;
    const processes = runner.jobLabels().length;
    expect(events.filter((e) => e === 'PUT answered')).toHaveLength(processes);
    expect(events.lastIndexOf('PUT answered')).toBeLessThan(events.indexOf('DELETE received'));
  });
});
