import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpRecorder, selfSignedCert, tempDir, type TestCertificate } from '@pyrometer/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationType } from '../config/receivers/receiver.js';
import { alertAt, testAlertmanager } from '../testing/harness.js';
import { notifierFromConfig, type NotifierUnderTest } from '../testing/notifier-harness.js';
import { discordIntegration } from './discord.js';
import { jiraIntegration } from './jira/jira.js';
import { msteamsIntegration, msteamsV2Integration } from './msteams.js';
import { opsgenieIntegration } from './opsgenie.js';
import { pagerdutyIntegration } from './pagerduty.js';
import { slackIntegration } from './slack.js';
import { telegramIntegration } from './telegram.js';
import { pushoverIntegrationWith } from './pushover.js';
import { rocketchatIntegration } from './rocketchat.js';
import { snsIntegration } from './sns/sns.js';
import { victoropsIntegration } from './victorops.js';
import { webhookIntegration } from './webhook.js';
import { wechatIntegration } from './wechat.js';

let cert: TestCertificate;
let server: HttpRecorder;
beforeAll(async () => {
  cert = selfSignedCert();
  // One answer every integration takes for success (Slack wants "ok", Telegram {"ok":true}).
  server = await HttpRecorder.start({ tls: cert, otherwise: { status: 200, body: 'ok' } });
});
afterAll(() => server.close());

// Each HTTP integration with its URL setting pointing at the local HTTPS server.
// `answers`: what the server says to each request (default: 200 "ok"); `auth`: the Authorization the
// integration sends itself, which the configured basic auth must not replace.
type Answer = { status: number; body: string; contentType?: string };
const json = (body: unknown): Answer => ({ status: 200, body: JSON.stringify(body), contentType: 'application/json' });
const cases: { type: IntegrationType; build: (yaml: string) => Promise<NotifierUnderTest>; entry: (base: string) => string; path: string; answers?: Answer[]; auth?: RegExp }[] = [
  { type: 'webhook', build: (y) => notifierFromConfig('webhook', webhookIntegration, y), entry: (b) => `url: '${b}/hook'`, path: '/hook' },
  { type: 'slack', build: (y) => notifierFromConfig('slack', slackIntegration, y), entry: (b) => `api_url: '${b}/slack'`, path: '/slack' },
  { type: 'pagerduty', build: (y) => notifierFromConfig('pagerduty', pagerdutyIntegration, y), entry: (b) => `routing_key: k\n    url: '${b}/v2/enqueue'`, path: '/v2/enqueue' },
  { type: 'opsgenie', build: (y) => notifierFromConfig('opsgenie', opsgenieIntegration, y), entry: (b) => `api_key: k\n    api_url: '${b}/'`, path: '/v2/alerts' },
  { type: 'msteams', build: (y) => notifierFromConfig('msteams', msteamsIntegration, y), entry: (b) => `webhook_url: '${b}/teams'`, path: '/teams' },
  { type: 'msteamsv2', build: (y) => notifierFromConfig('msteamsv2', msteamsV2Integration, y), entry: (b) => `webhook_url: '${b}/flow'`, path: '/flow' },
  { type: 'discord', build: (y) => notifierFromConfig('discord', discordIntegration, y), entry: (b) => `webhook_url: '${b}/discord'`, path: '/discord' },
  { type: 'telegram', build: (y) => notifierFromConfig('telegram', telegramIntegration, y), entry: (b) => `api_url: '${b}'\n    bot_token: t\n    chat_id: 1`, path: '/bott/sendMessage', answers: [json({ ok: true, result: {} })] },
  { type: 'pushover', build: (y) => notifierFromConfig('pushover', pushoverIntegrationWith({ messagesUrl: `${server.url}/1/messages.json` }), y), entry: () => 'user_key: u\n    token: t', path: '/1/messages.json' },
  { type: 'victorops', build: (y) => notifierFromConfig('victorops', victoropsIntegration, y), entry: (b) => `api_key: k\n    api_url: '${b}/vo/'\n    routing_key: r`, path: '/vo/k/r' },
  { type: 'rocketchat', build: (y) => notifierFromConfig('rocketchat', rocketchatIntegration, y), entry: (b) => `api_url: '${b}'\n    token: t\n    token_id: i`, path: '/api/v1/chat.postMessage', answers: [json({ success: true })] },
  { type: 'wechat', build: (y) => notifierFromConfig('wechat', wechatIntegration, y), entry: (b) => `api_url: '${b}/wx/'\n    api_secret: s\n    corp_id: c`, path: '/wx/gettoken', answers: [json({ access_token: 't' }), json({ errcode: 0 })] },
  { type: 'jira', build: (y) => notifierFromConfig('jira', jiraIntegration, y), entry: (b) => `api_url: '${b}/rest/api/2'\n    project: P\n    issue_type: Bug`, path: '/rest/api/2/search', answers: [json({ total: 0 }), json({ key: 'P-1' })] },
  { type: 'sns', build: (y) => notifierFromConfig('sns', snsIntegration, y), entry: (b) => `api_url: '${b}/sns'\n    topic_arn: arn\n    sigv4: {region: r, access_key: a, secret_key: s}`, path: '/sns/', auth: /^AWS4-HMAC-SHA256 Credential=a\// },
];

describe('http_config of every HTTP integration', () => {
  it.each(cases)('$type: TLS with the configured CA and basic auth with a password file', async ({ type, build, entry, path, answers, auth }) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'password'), 'pa55\n');
    const yaml = `route: {receiver: r}
receivers:
- name: r
  ${type}_configs:
  - ${entry(server.url)}
    http_config: {basic_auth: {username: am, password_file: '${join(dir, 'password')}'}, tls_config: {ca_file: '${cert.certFile}'}}
`;
    const before = server.requests.length;
    const n = await build(yaml);
    server.answer(...(answers ?? []));
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]);
    const req = server.requests[before]!;
    expect(req.url.split('?')[0]).toBe(path);
    // Opsgenie's GenieKey and SNS's signature win, as prometheus/common keeps an Authorization already set.
    expect(req.headers['authorization']).toMatch(type === 'opsgenie' ? /^GenieKey k$/ : (auth ?? new RegExp(`^Basic ${Buffer.from('am:pa55').toString('base64')}$`)));
  });

  it.each(['proxy_url: http://proxy.example:3128', 'proxy_from_environment: true', 'oauth2: {client_id: c, client_secret: s, token_url: "http://auth.example/token"}'])('refuses at load, naming the receiver, an http_config it cannot honour: %s', async (setting) => {
    const yaml = `route: {receiver: r}\nreceivers:\n- name: r\n  slack_configs: [{api_url: '${server.url}/slack', http_config: {${setting}}}]\n`;
    await expect(testAlertmanager(yaml)).rejects.toThrow(`receiver "r": slack_configs[0]: http_config: ${setting.split(':')[0]} is not supported by this Alertmanager yet`);
  });

  it('global http_config applies to receivers without their own; an untrusted server certificate is a retryable failure', async () => {
    const yaml = `global: {http_config: {authorization: {credentials: t0k3n}}}
route: {receiver: r}
receivers:
- name: r
  discord_configs: [{webhook_url: '${server.url}/discord'}]
`;
    const n = await notifierFromConfig('discord', discordIntegration, yaml);
    const err = (await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]).catch((e: unknown) => e)) as { message: string; retryable: boolean };
    expect(err.message).toMatch(/^Post "<redacted>": .*self[- ]signed certificate/);
    expect(err.retryable).toBe(true);
    const trusted = await notifierFromConfig('discord', discordIntegration, yaml.replace('authorization: {credentials: t0k3n}', `authorization: {credentials: t0k3n}, tls_config: {ca_file: '${cert.certFile}'}`));
    const before = server.requests.length;
    await trusted.notify([alertAt(trusted.clock, { alertname: 'FlinkJobDown' })]);
    expect(server.requests[before]!.headers['authorization']).toBe('Bearer t0k3n');
  });
});
