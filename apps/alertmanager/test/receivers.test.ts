import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, freePort, HttpRecorder, type RecordedRequest, repoRoot, startProcess, tempDir } from '@pyrometer/testkit';
import { SmtpSink } from '@pyrometer/testkit/smtp';
import { describe, expect, it } from 'vitest';
import { postJson } from './helpers.js';

// End to end: the built binary, every implemented receiver type on its own route, alerts posted
// to the API v2 as Prometheus posts them. Each local receiver gets one notification per group,
// and the resolution (send_resolved on everywhere).

const main = join(repoRoot(), 'apps/alertmanager/dist/main.js');
const built = existsSync(main);
if (!built && process.env['CI'] === 'true') throw new Error(`${main} is missing: run the build before the receivers test`);

const TYPES = ['email', 'slack', 'pagerduty', 'opsgenie', 'msteams', 'msteamsv2', 'telegram', 'discord'] as const;

function config(api: string, telegram: string, smtp: SmtpSink, dir: string): string {
  const receiver = (type: string, entry: string) => `- name: ${type}\n  ${type}_configs:\n  - send_resolved: true\n    ${entry}\n`;
  return `global:
  smtp_smarthost: '${smtp.smarthost}'
  smtp_from: am@example.org
  smtp_auth_username: am
  smtp_auth_password_file: '${join(dir, 'smtp-password')}'
  smtp_tls_config: {ca_file: '${smtp.certificate.certFile}'}
  slack_api_url: '${api}/slack'
  pagerduty_url: '${api}/pagerduty'
  opsgenie_api_url: '${api}/opsgenie/'
  opsgenie_api_key: k
  telegram_api_url: '${telegram}'
route:
  receiver: email
  group_by: [alertname, integration]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
  routes:
${TYPES.map((t) => `  - {matchers: ['integration="${t}"'], receiver: ${t}}`).join('\n')}
receivers:
${receiver('email', 'to: ops@example.org')}${receiver('slack', "channel: '#flink'")}${receiver('pagerduty', 'routing_key: r')}${receiver('opsgenie', 'priority: P2')}${receiver('msteams', `webhook_url: '${api}/msteams'`)}${receiver('msteamsv2', `webhook_url: '${api}/msteamsv2'`)}${receiver('telegram', 'bot_token: t0k\n    chat_id: 42')}${receiver('discord', `webhook_url_file: '${join(dir, 'discord-url')}'`)}`;
}

/** Which integration a request to the shared API server was for. */
const integrationOf = (r: RecordedRequest) => r.url.split('/')[1]!.split('?')[0]!;

describe.runIf(built)(`every receiver type through the alertmanager binary${built ? '' : ' — skipped: apps/alertmanager is not built'}`, () => {
  it('notifies each receiver once per group, then once more when the alerts resolve', async () => {
    const dir = tempDir();
    const api = await HttpRecorder.start({ otherwise: { status: 200, body: 'ok' } });
    const telegram = await HttpRecorder.start({ otherwise: { status: 200, body: '{"ok":true,"result":{"message_id":1,"chat":{"id":42}}}', contentType: 'application/json' } });
    const smtp = await SmtpSink.start({ auth: { methods: ['PLAIN', 'LOGIN'], users: { am: 'pw' } } });
    try {
      writeFileSync(join(dir, 'smtp-password'), 'pw\n');
      writeFileSync(join(dir, 'discord-url'), `${api.url}/discord\n`);
      writeFileSync(join(dir, 'alertmanager.yml'), config(api.url, telegram.url, smtp, dir));
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      await startProcess(process.execPath, [main, `--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn'], {
        readyUrl: `${base}/-/ready`,
        stopWithTest: true,
      });
      const startsAt = new Date().toISOString();
      const alerts = (endsAt: string) => TYPES.map((t) => ({ labels: { alertname: 'FlinkJobDown', integration: t, job_name: 'orders' }, annotations: { summary: 'orders is down' }, startsAt, endsAt, generatorURL: 'http://prometheus:9090/graph' }));
      const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
      // Prometheus re-sends firing alerts; the group still notifies once.
      for (let i = 0; i < 3; i++) expect((await postJson(`${base}/api/v2/alerts`, alerts(inAnHour))).status).toBe(200);

      const counts = () => {
        const out: Record<string, number> = { email: smtp.messages.length, telegram: telegram.requests.length };
        for (const r of api.requests) out[integrationOf(r)] = (out[integrationOf(r)] ?? 0) + 1;
        return out;
      };
      const reached = (n: number) => async () => (TYPES.every((t) => (counts()[t] ?? 0) >= n) ? true : undefined);
      const once = Object.fromEntries(TYPES.map((t) => [t, 1]));
      await eventually(reached(1), 15_000, 'one notification per receiver');
      // Two more group intervals pass: nothing is sent again before repeat_interval.
      await new Promise((r) => setTimeout(r, 4_500));
      expect(counts()).toEqual(once);
      expect(smtp.messages[0]!.parsed.subject).toBe('[FIRING:1] FlinkJobDown email (orders)');
      expect(JSON.parse(telegram.requests[0]!.body)).toMatchObject({ chat_id: '42', parse_mode: 'HTML' });
      expect(telegram.requests[0]!.url).toBe('/bott0k/sendMessage');

      expect((await postJson(`${base}/api/v2/alerts`, alerts(new Date().toISOString()))).status).toBe(200);
      const twice = Object.fromEntries(TYPES.map((t) => [t, 2]));
      await eventually(reached(2), 15_000, 'the resolved notification at every receiver');
      await new Promise((r) => setTimeout(r, 4_500));
      expect(counts()).toEqual(twice);
      const last = (type: string) => api.requests.filter((r) => integrationOf(r) === type).at(-1)!;
      expect(smtp.messages[1]!.parsed.subject).toBe('[RESOLVED] FlinkJobDown email (orders)');
      expect(JSON.parse(last('pagerduty').body)).toMatchObject({ event_action: 'resolve' });
      expect(last('opsgenie').url).toMatch(/^\/opsgenie\/v2\/alerts\/[0-9a-f]{64}\/close\?identifierType=alias$/);
      expect(JSON.parse(last('slack').body)).toMatchObject({ attachments: [{ color: 'good', title: '[RESOLVED] FlinkJobDown slack (orders)' }] });
      expect(JSON.parse(last('msteams').body)).toMatchObject({ themeColor: '2DC72D' });
      expect(JSON.parse(last('discord').body)).toMatchObject({ embeds: [{ color: 0x2ecc71 }] });
    } finally {
      await Promise.all([api.close(), telegram.close(), smtp.close()]);
    }
  }, 60_000);
});
