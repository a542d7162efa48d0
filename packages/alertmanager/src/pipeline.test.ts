import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAlertmanagerConfig } from './config/load.js';
import { Matcher, MatchType } from './labels/matcher.js';
import { alertAt, testAlertmanager } from './testing/harness.js';
import { WebhookReceiver } from './testing/webhook-receiver.js';
import { fromMillis, ZERO_TIME } from './time/instant.js';

let hook: WebhookReceiver;
beforeEach(async () => {
  hook = await WebhookReceiver.start();
});
afterEach(async () => {
  await hook.close();
});

const config = (extra = '') => `
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
${extra}
receivers:
- name: hook
  webhook_configs:
  - url: ${hook.url}
    send_resolved: true
`;

describe('notification pipeline (manual clock, real webhook server)', () => {
  it('sends a group after group_wait, with upstream payload fields', async () => {
    const { am, clock } = await testAlertmanager(config());
    await am.provider.put([alertAt(clock, { alertname: 'Down', job: 'flink' }, { annotations: { summary: '<b>down</b>' } })]);
    await clock.advance(29_000);
    expect(hook.received).toHaveLength(0);
    await clock.advance(1_000);
    const [msg] = await hook.waitFor(1);
    expect(msg!.headers['content-type']).toBe('application/json');
    expect(msg!.headers['user-agent']).toBe('Alertmanager/0.28.1');
    expect(msg!.body).toMatchObject({ receiver: 'hook', status: 'firing', groupLabels: { alertname: 'Down' }, commonLabels: { alertname: 'Down', job: 'flink' }, externalURL: 'http://am.example:9093', version: '4', groupKey: '{}:{alertname="Down"}', truncatedAlerts: 0 });
    expect(msg!.body.alerts[0]).toMatchObject({ status: 'firing', endsAt: '0001-01-01T00:00:00Z', fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(msg!.raw).toContain('"summary":"\\u003cb\\u003edown\\u003c/b\\u003e"');
    expect(Object.keys(msg!.body)).toEqual(['receiver', 'status', 'alerts', 'groupLabels', 'commonLabels', 'commonAnnotations', 'externalURL', 'version', 'groupKey', 'truncatedAlerts']);
    expect(msg!.raw.endsWith('}\n')).toBe(true);
    await am.stop();
  });

  it('does not repeat before repeat_interval, sends new alerts at the next group_interval, and the resolution', async () => {
    const { am, clock } = await testAlertmanager(config());
    const start = clock.now();
    await am.provider.put([alertAt(clock, { alertname: 'Lag', instance: 'a' }, { endsAt: start + 4 * 3_600_000 })]);
    await clock.advance(30_000);
    await hook.waitFor(1);
    await clock.advance(5 * 60_000);
    expect(hook.received).toHaveLength(1);
    await am.provider.put([alertAt(clock, { alertname: 'Lag', instance: 'b' }, { endsAt: start + 4 * 3_600_000 })]);
    await clock.advance(5 * 60_000);
    const second = (await hook.waitFor(2))[1]!.body;
    expect(second.alerts.map((a) => a.labels['instance'])).toEqual(['a', 'b']);
    await am.provider.put([alertAt(clock, { alertname: 'Lag', instance: 'a' }, { endsAt: clock.now() })]);
    await clock.advance(5 * 60_000);
    const third = (await hook.waitFor(3))[2]!.body;
    expect(third.status).toBe('firing');
    expect(third.alerts.map((a) => [a.labels['instance'], a.status])).toEqual([['a', 'resolved'], ['b', 'firing']]);
    // The resolved alert was notified and left the group; nothing new until repeat_interval.
    await clock.advance(5 * 60_000);
    expect(hook.received).toHaveLength(3);
    await am.stop();
  });

  it('retries a 5xx with backoff and gives up on a 4xx', async () => {
    const { am, clock, registry } = await testAlertmanager(config());
    hook.respondWith(503, 503);
    await am.provider.put([alertAt(clock, { alertname: 'Retry' })]);
    await clock.advance(30_000);
    await hook.waitFor(1);
    await clock.advance(1_000);
    await hook.waitFor(2);
    await clock.advance(2_000);
    await hook.waitFor(3);
    expect(hook.received.map((r) => r.body.groupKey)).toEqual(Array(3).fill('{}:{alertname="Retry"}'));
    hook.respondWith(400);
    await am.provider.put([alertAt(clock, { alertname: 'Bad' })]);
    await clock.advance(30_000);
    await hook.waitFor(4);
    await clock.advance(10_000);
    expect(hook.received).toHaveLength(4);
    const text = registry.collect().find((f) => f.name === 'alertmanager_notifications_failed_total')!;
    expect(text.metrics.find((m) => m.labels.get('integration') === 'webhook' && m.labels.get('reason') === 'clientError')!.value).toBe(1);
    await am.stop();
  });

  it('truncates to max_alerts and reports the rest in truncatedAlerts', async () => {
    const { am, clock } = await testAlertmanager(config().replace('send_resolved: true', 'send_resolved: true\n    max_alerts: 2'));
    await am.provider.put(['a', 'b', 'c', 'd'].map((i) => alertAt(clock, { alertname: 'Many', instance: i })));
    await clock.advance(30_000);
    const [msg] = await hook.waitFor(1);
    expect(msg!.body.alerts.map((a) => a.labels['instance'])).toEqual(['a', 'b']);
    expect(msg!.body.truncatedAlerts).toBe(2);
    await am.stop();
  });

  it('inhibits a warning while a critical of the same job fires, and marks it', async () => {
    const { am, clock } = await testAlertmanager(config(`inhibit_rules:\n- source_matchers: [severity="critical"]\n  target_matchers: [severity="warning"]\n  equal: [job]`));
    const critical = alertAt(clock, { alertname: 'Crit', severity: 'critical', job: 'j1' });
    const warning = alertAt(clock, { alertname: 'Warn', severity: 'warning', job: 'j1' });
    const other = alertAt(clock, { alertname: 'Warn2', severity: 'warning', job: 'j2' });
    await am.provider.put([critical, warning, other]);
    await clock.advance(30_000);
    await hook.waitFor(2);
    await clock.advance(1_000);
    expect(hook.received.map((r) => r.body.groupLabels['alertname']).sort()).toEqual(['Crit', 'Warn2']);
    expect(am.marker.status(warning.fingerprint)).toEqual(expect.objectContaining({ state: 'suppressed', inhibitedBy: [critical.fingerprint] }));
    await am.stop();
  });

  it('mutes silenced alerts; a pending silence does not mute', async () => {
    const { am, clock } = await testAlertmanager(config());
    const now = fromMillis(clock.now());
    const hour = fromMillis(3_600_000);
    const active = await am.silences.set({ id: '', matchers: [new Matcher(MatchType.Equal, 'alertname', 'Quiet')], startsAt: ZERO_TIME, endsAt: now + hour, createdBy: 't', comment: 'c' });
    await am.silences.set({ id: '', matchers: [new Matcher(MatchType.Regexp, 'alertname', 'Later.*')], startsAt: now + hour, endsAt: now + 2n * hour, createdBy: 't', comment: 'c' });
    const quiet = alertAt(clock, { alertname: 'Quiet' });
    await am.provider.put([quiet, alertAt(clock, { alertname: 'LaterOne' })]);
    await clock.advance(30_000);
    await hook.waitFor(1);
    await clock.advance(1_000);
    expect(hook.received.map((r) => r.body.groupLabels['alertname'])).toEqual(['LaterOne']);
    expect(am.marker.status(quiet.fingerprint).silencedBy).toEqual([active]);
    await am.stop();
  });

  it('holds notifications of a route inside its mute time interval', async () => {
    const yaml = config().replace('  repeat_interval: 4h', '  repeat_interval: 4h\n  routes:\n  - matchers: [team="night"]\n    mute_time_intervals: [always]') + 'time_intervals:\n- name: always\n  time_intervals: [{weekdays: ["sunday:saturday"]}]\n';
    const { am, clock } = await testAlertmanager(yaml);
    await am.provider.put([alertAt(clock, { alertname: 'Muted', team: 'night' }), alertAt(clock, { alertname: 'Loud', team: 'day' })]);
    await clock.advance(30_000);
    await hook.waitFor(1);
    await clock.advance(1_000);
    expect(hook.received.map((r) => r.body.groupLabels['alertname'])).toEqual(['Loud']);
    const muted = am.dispatcher.alertGroups(() => true, () => true).groups.find((g) => g.labels.get('alertname') === 'Muted')!;
    expect(am.marker.muted(muted.routeId, muted.groupKey)).toEqual(['always']);
    await am.stop();
  });

  it('a reload keeps the groups\' timers: a new alert waits for the next group_interval, not a new group_wait', async () => {
    const yaml = config();
    const { am, clock } = await testAlertmanager(yaml);
    await am.provider.put([alertAt(clock, { alertname: 'Lag', instance: 'a' })]);
    await clock.advance(30_000);
    await hook.waitFor(1);
    await am.applyConfig(parseAlertmanagerConfig(yaml, 'test.yml', { matcherMode: 'fallback' }));
    await clock.advance(30_000);
    await am.provider.put([alertAt(clock, { alertname: 'Lag', instance: 'b' }), alertAt(clock, { alertname: 'Lag', instance: 'a' })]);
    await clock.advance(60_000);
    expect(hook.received).toHaveLength(1);
    // The group's next tick is 5m30s, as before the reload.
    await clock.advance(3 * 60_000 + 30_000);
    expect((await hook.waitFor(2))[1]!.body.alerts.map((a) => a.labels['instance'])).toEqual(['a', 'b']);
    await am.stop();
  });

  it('with send_resolved false, sends only firing alerts and no message once all resolved', async () => {
    const { am, clock } = await testAlertmanager(config().replace('send_resolved: true', 'send_resolved: false'));
    await am.provider.put([alertAt(clock, { alertname: 'Flap', instance: 'a' }), alertAt(clock, { alertname: 'Flap', instance: 'b' })]);
    await clock.advance(30_000);
    await hook.waitFor(1);
    await am.provider.put([alertAt(clock, { alertname: 'Flap', instance: 'a' }, { endsAt: clock.now() })]);
    await clock.advance(5 * 60_000);
    await am.provider.put([alertAt(clock, { alertname: 'Flap', instance: 'b' }, { endsAt: clock.now() })]);
    await clock.advance(10 * 60_000);
    expect(hook.received.map((r) => r.body.alerts.map((a) => `${a.labels['instance']}:${a.status}`))).toEqual([['a:firing', 'b:firing']]);
    await am.stop();
  });
});
