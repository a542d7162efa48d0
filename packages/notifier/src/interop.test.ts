import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '@pyrometer/model';
import { freePort, peer, startProcess, tempDir, type RunningProcess } from '@pyrometer/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setConfig } from './internal/test-receiver.js';
import { alertmanagerSetName, Notifier } from './notifier.js';
import { sendAlerts } from './send-alerts.js';

const alertmanagerBinary = peer('prometheus-alertmanager', 'prometheus-alertmanager');

interface ApiAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  status: { state: string };
}

// Debian ships Alertmanager 0.25; its API v2 receiving side is the same as 0.28's.
describe.skipIf(alertmanagerBinary.missingReason !== undefined)(`Alertmanager receives our alerts (${alertmanagerBinary.missingReason ?? 'prometheus-alertmanager'})`, () => {
  let am: RunningProcess;
  let base: string;
  let notifier: Notifier;

  beforeAll(async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'alertmanager.yml'), "route:\n  receiver: 'null'\nreceivers:\n  - name: 'null'\n");
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    am = await startProcess(alertmanagerBinary.path!, [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='], { readyUrl: `${base}/-/ready`, env: { ...process.env, TZ: 'UTC' } });
    notifier = new Notifier();
    await notifier.applyConfig({ global: { externalLabels: { cluster: 'eu1' } }, alerting: { alertRelabelConfigs: [], alertmanagers: [setConfig()] } });
    notifier.setTargetGroups(alertmanagerSetName(0), [{ targets: [{ __address__: `127.0.0.1:${port}` }], labels: {}, source: '0' }]);
  });

  afterAll(async () => {
    await notifier?.stop();
    await am?.stop();
  });

  async function alerts(): Promise<ApiAlert[]> {
    const res = await fetch(`${base}/api/v2/alerts`);
    return (await res.json()) as ApiAlert[];
  }

  it('shows labels, annotations, startsAt, endsAt and generatorURL as sent, and takes a resolution', async () => {
    const firedAt = Date.now() - 30_000;
    const validUntil = Date.now() + 240_000;
    const notify = sendAlerts(notifier, 'http://prometheus.example:9090');
    const rule = { labels: Labels.from({ alertname: 'FlinkJobDown', job_name: 'wordcount', severity: 'page' }), annotations: Labels.from({ summary: 'Job wordcount is down', description: 'no running job for 5m & more' }), firedAt, resolvedAt: 0, validUntil };
    notify('flink_jobmanager_numRunningJobs < 1', [rule]);
    await notifier.idle();
    const got = await vi.waitFor(async () => {
      const list = await alerts();
      expect(list).toHaveLength(1);
      return list[0]!;
    });
    expect(got.labels).toEqual({ alertname: 'FlinkJobDown', cluster: 'eu1', job_name: 'wordcount', severity: 'page' });
    expect(got.annotations).toEqual({ summary: 'Job wordcount is down', description: 'no running job for 5m & more' });
    expect(Date.parse(got.startsAt)).toBe(firedAt);
    expect(Date.parse(got.endsAt)).toBe(validUntil);
    expect(got.generatorURL).toBe('http://prometheus.example:9090/graph?g0.expr=flink_jobmanager_numRunningJobs+%3C+1&g0.tab=1');
    expect(got.status.state).toBe('active');

    notify('flink_jobmanager_numRunningJobs < 1', [{ ...rule, resolvedAt: Date.now() - 1_000 }]);
    await notifier.idle();
    await vi.waitFor(async () => expect(await alerts()).toEqual([]));
  });
});
