import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, freePort, peer, startProcess } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { WebhookReceiver } from '@pyrometer/alertmanager/testing';
import { call, startTestAlertmanager } from './helpers.js';

const prometheus = peer('prometheus', 'prometheus');

// Debian's Prometheus evaluates its own alerting rules and sends the alerts to ours, as it would
// to upstream's Alertmanager; ours groups them and notifies a real webhook.
describe.skipIf(prometheus.missingReason !== undefined)(`Debian's Prometheus sending alerts to ours${prometheus.missingReason ? ` — skipped: ${prometheus.missingReason}` : ''}`, () => {
  it('receives firing alerts from rule evaluation and notifies the webhook', { timeout: 60_000 }, async () => {
    const hook = await WebhookReceiver.start();
    const am = await startTestAlertmanager(`
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  group_interval: 2s
receivers:
- name: hook
  webhook_configs: [{url: '${hook.url}'}]
`);
    const dir = am.dir;
    writeFileSync(join(dir, 'rules.yml'), `groups:\n- name: flink\n  interval: 1s\n  rules:\n  - alert: FlinkJobDown\n    expr: vector(1)\n    labels: {severity: critical, job_name: orders}\n    annotations: {summary: 'value {{ $value }}'}\n`);
    const port = await freePort();
    const amAddress = am.url.replace('http://', '');
    writeFileSync(join(dir, 'prometheus.yml'), `global: {evaluation_interval: 1s}\nrule_files: [rules.yml]\nalerting:\n  alertmanagers:\n  - api_version: v2\n    static_configs: [{targets: ['${amAddress}']}]\n`);
    const prom = await startProcess(prometheus.path!, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'prom-data')}`, `--web.listen-address=127.0.0.1:${port}`, `--web.external-url=http://prom.example:9090`, '--rules.alert.resend-delay=1s'], { readyUrl: `http://127.0.0.1:${port}/-/ready` });
    try {
      const alert = await eventually(async () => {
        const list = JSON.parse((await call(`${am.url}/api/v2/alerts`)).body) as { labels: Record<string, string>; annotations: Record<string, string>; generatorURL: string; status: { state: string }; endsAt: string }[];
        return list[0];
      }, 30_000, 'an alert from Prometheus');
      expect(alert.labels).toEqual({ alertname: 'FlinkJobDown', severity: 'critical', job_name: 'orders' });
      expect(alert.annotations).toEqual({ summary: 'value 1' });
      expect(alert.generatorURL).toMatch(/^http:\/\/prom\.example:9090\/graph\?g0\.expr=vector%281%29&g0\.tab=1$/);
      // Prometheus sends endsAt = now + 4 × max(interval, resend delay) = 4 s, not our resolve_timeout (5m).
      expect(Date.parse(alert.endsAt) - Date.now()).toBeLessThan(10_000);
      const [msg] = await hook.waitFor(1, 20_000);
      expect(msg!.body).toMatchObject({ status: 'firing', groupKey: '{}:{alertname="FlinkJobDown"}', commonLabels: { job_name: 'orders' } });
      expect(msg!.body.alerts[0]!.startsAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    } finally {
      await prom.stop();
      await am.close();
      await hook.close();
    }
  });
});
