import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, freePort, HttpRecorder, type RecordedRequest, repoRoot, selfSignedCert, startProcess, tempDir } from '@pyrometer/testkit';
import { SmtpSink } from '@pyrometer/testkit/smtp';
import { describe, expect, it } from 'vitest';
import { postJson } from './helpers.js';

// End to end: the built binary, every implemented receiver type on its own route, alerts posted
// to the API v2 as Prometheus posts them. Each local receiver gets one notification per group,
// and the resolution (send_resolved on everywhere).

const main = join(repoRoot(), 'apps/alertmanager/dist/main.js');
const REDIRECT_TLS = join(repoRoot(), 'apps/alertmanager/test/fixtures/redirect-tls.mjs');
const built = existsSync(main);
if (!built && process.env['CI'] === 'true') throw new Error(`${main} is missing: run the build before the receivers test`);

const TYPES = ['email', 'slack', 'pagerduty', 'opsgenie', 'msteams', 'msteamsv2', 'telegram', 'discord', 'webex', 'victorops', 'rocketchat', 'wechat', 'jira', 'sns', 'pushover'] as const;

function config(api: string, telegram: string, jira: string, smtp: SmtpSink, dir: string): string {
  const entries: Record<(typeof TYPES)[number], string> = {
    email: 'to: ops@example.org',
    slack: "channel: '#flink'",
    pagerduty: 'routing_key: r',
    opsgenie: 'priority: P2',
    msteams: `webhook_url: '${api}/msteams'`,
    msteamsv2: `webhook_url: '${api}/msteamsv2'`,
    telegram: 'bot_token: t0k\n    chat_id: 42',
    discord: `webhook_url_file: '${join(dir, 'discord-url')}'`,
    webex: 'room_id: r00m\n    http_config: {authorization: {credentials: t0k}}',
    victorops: "routing_key: '{{ .CommonLabels.job_name }}'",
    rocketchat: "channel: '#flink'",
    wechat: 'to_party: flink',
    jira: 'project: OPS\n    issue_type: Bug\n    resolve_transition: Close',
    pushover: 'user_key: us3r\n    token: t0k',
    sns: `api_url: '${api}/sns'\n    sigv4: {region: eu-west-1, access_key: AKID, secret_key: s3cr3t}\n    topic_arn: 'arn:aws:sns:eu-west-1:1:flink'`,
  };
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
  webex_api_url: '${api}/webex'
  victorops_api_url: '${api}/victorops/'
  victorops_api_key: k3y
  rocketchat_api_url: '${api}/rocketchat'
  rocketchat_token: t0k
  rocketchat_token_id: id
  wechat_api_url: '${api}/wechat/'
  wechat_api_secret: s3cret
  wechat_api_corp_id: c0rp
  jira_api_url: '${jira}/rest/api/2'
route:
  receiver: email
  group_by: [alertname, integration]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
  routes:
${TYPES.map((t) => `  - {matchers: ['integration="${t}"'], receiver: ${t}}`).join('\n')}
receivers:
${TYPES.map((t) => receiver(t, entries[t])).join('')}`;
}

/** Which integration a request to the shared API server was for. */
const integrationOf = (r: RecordedRequest) => r.url.split('/')[1]!.split('?')[0]!;

describe.runIf(built)(`every receiver type through the alertmanager binary${built ? '' : ' — skipped: apps/alertmanager is not built'}`, () => {
  it('notifies each receiver once per group, then once more when the alerts resolve', async () => {
    const dir = tempDir();
    // One answer every integration here takes for success (Slack: "ok": true; Rocket.Chat: "success": true; WeChat: a token, "errcode": 0).
    const api = await HttpRecorder.start({ otherwise: { status: 200, body: '{"ok":true,"success":true,"errcode":0,"access_token":"T0K"}', contentType: 'application/json' } });
    const telegram = await HttpRecorder.start({ otherwise: { status: 200, body: '{"ok":true,"result":{"message_id":1,"chat":{"id":42}}}', contentType: 'application/json' } });
    // Jira answers in turn: no issue yet, created; then the open issue, updated, its transitions, resolved.
    const jira = await HttpRecorder.start({ otherwise: { status: 204 } });
    const json = (body: unknown, status = 200) => ({ status, body: JSON.stringify(body), contentType: 'application/json' });
    jira.answer(json({ total: 0, issues: [] }), json({ key: 'OPS-1' }, 201));
    // Pushover's endpoint is fixed (as upstream's): a test-only preload sends the binary's TLS
    // connections for it to this server, whose certificate the binary trusts for that name.
    const pushoverCert = selfSignedCert(['api.pushover.net']);
    const pushover = await HttpRecorder.start({ tls: pushoverCert, otherwise: { status: 200, body: '{"status":1,"request":"r"}', contentType: 'application/json' } });
    const smtp = await SmtpSink.start({ auth: { methods: ['PLAIN', 'LOGIN'], users: { am: 'pw' } } });
    try {
      writeFileSync(join(dir, 'smtp-password'), 'pw\n');
      writeFileSync(join(dir, 'discord-url'), `${api.url}/discord\n`);
      writeFileSync(join(dir, 'alertmanager.yml'), config(api.url, telegram.url, jira.url, smtp, dir));
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      await startProcess(process.execPath, ['--import', REDIRECT_TLS, main, `--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn'], {
        readyUrl: `${base}/-/ready`,
        env: { ...process.env, NODE_EXTRA_CA_CERTS: pushoverCert.certFile, PYROMETER_TEST_TLS_REDIRECT: `api.pushover.net:443=127.0.0.1:${new URL(pushover.url).port}` },
        stopWithTest: true,
      });
      const startsAt = new Date().toISOString();
      const alerts = (endsAt: string) => TYPES.map((t) => ({ labels: { alertname: 'FlinkJobDown', integration: t, job_name: 'orders' }, annotations: { summary: 'orders is down' }, startsAt, endsAt, generatorURL: 'http://prometheus:9090/graph' }));
      const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
      // Prometheus re-sends firing alerts; the group still notifies once.
      for (let i = 0; i < 3; i++) expect((await postJson(`${base}/api/v2/alerts`, alerts(inAnHour))).status).toBe(200);

      const counts = () => {
        // Jira's notifications are the issue creations and updates (not its searches and transitions).
        const jiraIssues = jira.requests.filter((r) => r.method !== 'GET' && /\/issue(\/OPS-1)?$/.test(r.url));
        const out: Record<string, number> = { email: smtp.messages.length, telegram: telegram.requests.length, jira: jiraIssues.length, pushover: pushover.requests.length };
        // WeChat's token fetches are not notifications.
        for (const r of api.requests.filter((r) => !r.url.startsWith('/wechat/gettoken'))) out[integrationOf(r)] = (out[integrationOf(r)] ?? 0) + 1;
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

      jira.answer(json({ total: 1, issues: [{ key: 'OPS-1', fields: { status: { statusCategory: { key: 'indeterminate' } } } }] }), { status: 204 }, json({ transitions: [{ id: '31', name: 'Close' }] }), { status: 204 });
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
      expect([last('webex').headers['authorization'], JSON.parse(last('webex').body)]).toMatchObject(['Bearer t0k', { roomId: 'r00m', markdown: expect.stringContaining('Alerts Resolved:') as unknown }]);
      expect([last('victorops').url, JSON.parse(last('victorops').body)]).toMatchObject(['/victorops/k3y/orders', { message_type: 'RECOVERY' }]);
      expect([last('rocketchat').url, last('rocketchat').headers['x-auth-token'], JSON.parse(last('rocketchat').body)]).toMatchObject(['/rocketchat/api/v1/chat.postMessage', 't0k', { channel: '#flink', attachments: [{ color: 'green' }] }]);
      expect(jira.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /rest/api/2/search', 'POST /rest/api/2/issue', 'POST /rest/api/2/search', 'PUT /rest/api/2/issue/OPS-1', 'GET /rest/api/2/issue/OPS-1/transitions', 'POST /rest/api/2/issue/OPS-1/transitions']);
      expect(api.requests.filter((r) => r.url.startsWith('/wechat/gettoken'))).toHaveLength(1); // the token is kept
      const lastPushover = pushover.requests.at(-1)!;
      expect([lastPushover.url.split('?')[0], Object.fromEntries(new URLSearchParams(lastPushover.url.split('?')[1]))]).toMatchObject(['/1/messages.json', { token: 't0k', user: 'us3r', title: '[RESOLVED] FlinkJobDown pushover (orders)', priority: '0' }]);
      expect([last('sns').headers['authorization'], Object.fromEntries(new URLSearchParams(last('sns').body))]).toMatchObject([expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=AKID\/\d{8}\/eu-west-1\/sns\/aws4_request, /) as unknown, { Action: 'Publish', TopicArn: 'arn:aws:sns:eu-west-1:1:flink', Subject: '[RESOLVED] FlinkJobDown sns (orders)' }]);
      expect([last('wechat').url, JSON.parse(last('wechat').body)]).toMatchObject(['/wechat/message/send?access_token=T0K', { toparty: 'flink', text: { content: expect.stringContaining('RESOLVED') as unknown } }]);
    } finally {
      await Promise.all([api.close(), telegram.close(), jira.close(), pushover.close(), smtp.close()]);
    }
  }, 60_000);
});
