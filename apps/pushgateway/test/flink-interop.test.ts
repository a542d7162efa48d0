import { defaultReporterConfig, defaultSimulatorOptions, SimulatorRunner } from '@pyrometer/flink-simulator';
import { silentLogger } from '@pyrometer/telemetry';
import { freePort, peer, startProcess, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { pushedLines, send, startOurs } from './helpers.js';

const upstream = peer('prometheus-pushgateway', 'prometheus-pushgateway');

function runnerFor(hostUrl: string, clock: { now: number }): SimulatorRunner {
  return new SimulatorRunner({
    reporter: { ...defaultReporterConfig(), hostUrl, jobName: 'flinkDemo', groupingKey: [['env', 'test cluster']] },
    simulator: { ...defaultSimulatorOptions(), taskManagers: 3, scenario: 'backpressure' },
    logger: silentLogger(),
    now: () => clock.now,
  });
}

function normalize(text: string): string[] {
  return pushedLines(text).map((l) => l.replace(/^(push_(failure_)?time_seconds\{.*\}) (?!0$)\S+$/, '$1 <time>'));
}

describe('Flink PrometheusPushGatewayReporter traffic (simulated JobManager and TaskManagers)', () => {
  it.skipIf(upstream.path === undefined)(`leaves the same /metrics as Debian's pushgateway, and DELETE on shutdown cleans up ${upstream.missingReason ?? ''}`, async () => {
    const port = await freePort();
    await startProcess(upstream.path!, [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${tempDir()}/upstream.data`], { readyUrl: `http://127.0.0.1:${port}/-/ready`, stopWithTest: true });
    const ours = await startOurs();
    const clock = { now: 1_764_000_000_000 };
    const theirRunner = runnerFor(`http://127.0.0.1:${port}`, clock);
    const ourRunner = runnerFor(ours.url, clock);
    for (let i = 0; i < 3; i++) {
      clock.now += 10_000;
      await theirRunner.reportOnce();
      await ourRunner.reportOnce();
    }
    const theirs = normalize((await send(`http://127.0.0.1:${port}/metrics`, 'GET')).text);
    const mine = normalize((await send(`${ours.url}/metrics`, 'GET')).text);
    expect(mine.filter((l) => l.startsWith('flink_')).length).toBeGreaterThan(100);
    expect(mine).toEqual(theirs);
    const jobs = ourRunner.jobLabels();
    expect(new Set(jobs).size).toBe(4);
    for (const job of jobs) expect(job).toMatch(/^flinkDemo[0-9a-f]{32}$/);

    await Promise.all([theirRunner.stop(), ourRunner.stop()]);
    expect(pushedLines((await send(`${ours.url}/metrics`, 'GET')).text)).toEqual([]);
  });

  it('expires the groups of processes that stopped pushing with --push.group-ttl', async () => {
    const ours = await startOurs({ groupTtlMs: 1000 });
    const clock = { now: Date.now() };
    const runner = runnerFor(ours.url, clock);
    await runner.reportOnce();
    expect(pushedLines((await send(`${ours.url}/metrics`, 'GET')).text).length).toBeGreaterThan(0);
    // No stop(): like a killed pod, nobody sends the DELETE.
    await expect.poll(async () => pushedLines((await send(`${ours.url}/metrics`, 'GET')).text), { timeout: 10_000, interval: 200 }).toEqual([]);
  });
});
