import { silentLogger } from '@pyrometer/telemetry';
import { freePort, peer, startProcess, tempDir, type RunningProcess } from '@pyrometer/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultReporterConfig } from '../src/reporter-config.js';
import { SimulatorRunner } from '../src/runner.js';
import { defaultSimulatorOptions } from '../src/simulator.js';

const pushgateway = peer('prometheus-pushgateway', 'prometheus-pushgateway');

describe.skipIf(pushgateway.path === undefined)(`simulator against Debian's prometheus-pushgateway (${pushgateway.missingReason ?? 'available'})`, () => {
  let gateway: RunningProcess | undefined;
  afterEach(async () => gateway?.stop());

  it('is accepted by the upstream Pushgateway and cleans up its groups with DELETE on shutdown', async () => {
    const port = await freePort();
    gateway = await startProcess(pushgateway.path!, [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${tempDir()}/state`], { readyUrl: `http://127.0.0.1:${port}/-/ready` });
    const runner = new SimulatorRunner({
      reporter: { ...defaultReporterConfig(), hostUrl: `http://127.0.0.1:${port}`, jobName: 'flinkDemo', groupingKey: [['env', 'test cluster']] },
      simulator: { ...defaultSimulatorOptions(), scenario: 'backpressure' },
      logger: silentLogger(),
    });
    await runner.reportOnce();
    await runner.reportOnce();

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const [jmJob, tmJob] = runner.jobLabels();
    expect(jmJob).toMatch(/^flinkDemo[0-9a-f]{32}$/);
    // Upstream parsed our Java-formatted bodies (trailing commas, 1.0E9 numbers, summaries without _sum).
    expect(metrics).toContain(`flink_jobmanager_numRegisteredTaskManagers{env="test+cluster",host="10_0_3_10",instance="",job="${jmJob}"} 2`);
    expect(metrics).toMatch(new RegExp(`flink_taskmanager_job_task_isBackPressured\\{env="test\\+cluster",host="10_0_3_17",instance="",job="${tmJob}",.*\\} 1`));
    expect(metrics).toMatch(/flink_taskmanager_job_task_mailboxLatencyMs_count\{/);
    expect(metrics).toContain(`push_failure_time_seconds{env="test+cluster",instance="",job="${jmJob}"} 0`);

    await runner.stop();
    const after = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(after).not.toContain('flink_');
  });
});
