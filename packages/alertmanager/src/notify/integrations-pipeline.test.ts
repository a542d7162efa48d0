import { HttpRecorder } from '@pyrometer/testkit';
import type { MetricsRegistry } from '@pyrometer/telemetry';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertAt, testAlertmanager } from '../testing/harness.js';
import { recordingLogger } from '../testing/notifier-harness.js';

// The integrations inside the whole pipeline (manual clock): retries as each one decides,
// send_resolved defaults, and what they log.

let api: HttpRecorder;
beforeEach(async () => {
  api = await HttpRecorder.start({ otherwise: { status: 200, body: 'ok' } });
});
afterEach(() => api.close());

const config = (receiver: string) => `
global: {slack_api_url: '${api.url}/slack', pagerduty_url: '${api.url}/pd', opsgenie_api_url: '${api.url}/og/', opsgenie_api_key: k}
route: {receiver: r, group_by: [alertname], group_wait: 10s, group_interval: 1m}
receivers:
- name: r
${receiver}`;

const metric = (registry: MetricsRegistry, name: string, labels: Record<string, string>) =>
  registry.collect().find((f) => f.name === name)!.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels.get(k) === v))!.value;

describe('integrations in the pipeline', () => {
  it('PagerDuty: a 429 is retried with backoff until accepted', async () => {
    const { am, clock, registry } = await testAlertmanager(config('  pagerduty_configs: [{routing_key: k}]'));
    api.answer({ status: 429, body: '' });
    await am.provider.put([alertAt(clock, { alertname: 'FlinkJobDown' })]);
    await clock.advance(10_000);
    await api.waitFor(1);
    await clock.advance(1_000);
    await api.waitFor(2);
    expect(metric(registry, 'alertmanager_notification_requests_total', { integration: 'pagerduty' })).toBe(2);
    expect(metric(registry, 'alertmanager_notification_requests_failed_total', { integration: 'pagerduty' })).toBe(1);
    expect(metric(registry, 'alertmanager_notifications_failed_total', { integration: 'pagerduty', reason: 'clientError' })).toBe(0);
    await am.stop();
  });

  it('Slack: a 429 is not retried (upstream\'s default retrier) and counts as clientError', async () => {
    const { am, clock, registry } = await testAlertmanager(config('  slack_configs: [{channel: "#x"}]'));
    api.answer({ status: 429, body: 'rate limited' });
    await am.provider.put([alertAt(clock, { alertname: 'FlinkJobDown' })]);
    await clock.advance(10_000);
    await api.waitFor(1);
    await clock.advance(20_000);
    expect(api.requests).toHaveLength(1);
    expect(metric(registry, 'alertmanager_notifications_failed_total', { integration: 'slack', reason: 'clientError' })).toBe(1);
    await am.stop();
  });

  it('send_resolved defaults: Slack (false) stays silent on resolution, Opsgenie (true) closes its alert', async () => {
    const { am, clock } = await testAlertmanager(config('  slack_configs: [{channel: "#x"}]\n  opsgenie_configs: [{}]'));
    const start = clock.now();
    await am.provider.put([alertAt(clock, { alertname: 'FlinkJobDown' })]);
    await clock.advance(10_000);
    await api.waitFor(2);
    await am.provider.put([alertAt(clock, { alertname: 'FlinkJobDown' }, { startsAt: start, endsAt: clock.now() })]);
    await clock.advance(60_000);
    await api.waitFor(3);
    await clock.advance(60_000);
    expect(api.requests.map((r) => `${r.method} ${r.url.split('?')[0]!.replace(/[0-9a-f]{64}/, '<alias>')}`).sort()).toEqual(['POST /og/v2/alerts', 'POST /og/v2/alerts/<alias>/close', 'POST /slack']);
    await am.stop();
  });

  it('logs truncation with the receiver and the integration', async () => {
    const logger = recordingLogger();
    const { am, clock } = await testAlertmanager(config(`  slack_configs: [{channel: "#x", title: '${'t'.repeat(1100)}'}]`), { logger });
    await am.provider.put([alertAt(clock, { alertname: 'FlinkJobDown' })]);
    await clock.advance(10_000);
    await api.waitFor(1);
    expect(logger.lines).toContainEqual({ level: 'warn', msg: 'Truncated title', fields: { component: 'notify', receiver: 'r', integration: 'slack[0]', key: '{}:{alertname="FlinkJobDown"}', max_runes: 1024 } });
    await am.stop();
  });

  it('send_resolved defaults of the later receivers: WeChat and Rocket.Chat (false) stay silent on resolution, VictorOps (true) sends RECOVERY', async () => {
    const chat = await HttpRecorder.start({ otherwise: { status: 200, body: '{"success":true,"errcode":0,"access_token":"T"}', contentType: 'application/json' } });
    try {
      const yaml = `global: {wechat_api_url: '${chat.url}/wx/', wechat_api_secret: s, wechat_api_corp_id: c, rocketchat_api_url: '${chat.url}/rc', rocketchat_token: t, rocketchat_token_id: i, victorops_api_url: '${chat.url}/vo/', victorops_api_key: k}
route: {receiver: r, group_by: [alertname], group_wait: 10s, group_interval: 1m}
receivers:
- name: r
  wechat_configs: [{}]
  victorops_configs: [{routing_key: flink}]
  rocketchat_configs: [{channel: '#x'}]
`;
      const { am, clock } = await testAlertmanager(yaml);
      const start = clock.now();
      await am.provider.put([alertAt(clock, { alertname: 'FlinkJobDown' })]);
      await clock.advance(10_000);
      await chat.waitFor(4);
      await am.provider.put([alertAt(clock, { alertname: 'FlinkJobDown' }, { startsAt: start, endsAt: clock.now() })]);
      await clock.advance(60_000);
      await chat.waitFor(5);
      await clock.advance(60_000);
      expect(chat.requests.map((r) => r.url.split('?')[0]).sort()).toEqual(['/rc/api/v1/chat.postMessage', '/vo/k/flink', '/vo/k/flink', '/wx/gettoken', '/wx/message/send']);
      expect(chat.requests.filter((r) => r.url === '/vo/k/flink').map((r) => (JSON.parse(r.body) as { message_type: string }).message_type)).toEqual(['CRITICAL', 'RECOVERY']);
      await am.stop();
    } finally {
      await chat.close();
    }
  });

  it('WeChat: an expired token (errcode 42001) is retried with a new token until accepted', async () => {
    const { am, clock, registry } = await testAlertmanager(`global: {wechat_api_url: '${api.url}/wx/', wechat_api_secret: s, wechat_api_corp_id: c}
route: {receiver: r, group_by: [alertname], group_wait: 10s, group_interval: 1m}
receivers:
- name: r
  wechat_configs: [{}]
`);
    const json = (body: unknown) => ({ status: 200, body: JSON.stringify(body), contentType: 'application/json' });
    api.answer(json({ access_token: 'T1' }), json({ errcode: 42001, errmsg: 'access_token expired' }), json({ access_token: 'T2' }), json({ errcode: 0, errmsg: 'ok' }));
    await am.provider.put([alertAt(clock, { alertname: 'FlinkJobDown' })]);
    await clock.advance(10_000);
    await api.waitFor(2);
    await clock.advance(1_000);
    await api.waitFor(4);
    expect(api.requests.map((r) => r.url.replace(/corpid=.*/, ''))).toEqual(['/wx/gettoken?', '/wx/message/send?access_token=T1', '/wx/gettoken?', '/wx/message/send?access_token=T2']);
    expect(metric(registry, 'alertmanager_notification_requests_failed_total', { integration: 'wechat' })).toBe(1);
    expect(metric(registry, 'alertmanager_notifications_total', { integration: 'wechat' })).toBe(1);
    await am.stop();
  });
});
