import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpRecorder, tempDir } from '@pyrometer/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertmanagerError } from '../errors.js';
import { alertAt } from '../testing/harness.js';
import { notifierFromConfig } from '../testing/notifier-harness.js';
import { pushoverIntegrationWith } from './pushover.js';

let pushover: HttpRecorder;
beforeEach(async () => {
  pushover = await HttpRecorder.start({ otherwise: { status: 200, body: '{"status":1,"request":"r"}', contentType: 'application/json' } });
});
afterEach(() => pushover.close());

const config = (fields = '') => `
route: {receiver: phone}
receivers:
- name: phone
  pushover_configs:
  - user_key: 'us3r'
    token: 'app+t0ken'
${fields}`;

const build = (yaml: string) => notifierFromConfig('pushover', pushoverIntegrationWith({ messagesUrl: `${pushover.url}/1/messages.json` }), yaml);
const rejection = (p: Promise<unknown>) => p.then(() => undefined, (err: unknown) => err as AlertmanagerError);

describe('pushover integration', () => {
  it('POSTs an empty text/plain body with every parameter in the sorted, Go-escaped query string, from the default templates', async () => {
    const n = await build(config());
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'orders' }, { annotations: { summary: 'orders is down' } })]);
    const [req] = await pushover.waitFor(1);
    expect([req!.method, req!.headers['content-type'], req!.headers['user-agent'], req!.body]).toEqual(['POST', 'text/plain', 'Alertmanager/0.28.1', '']);
    const [path, query] = req!.url.split('?');
    expect(path).toBe('/1/messages.json');
    expect(query!.split('&').map((p) => p.split('=')[0])).toEqual(['device', 'expire', 'message', 'priority', 'retry', 'sound', 'title', 'token', 'url', 'url_title', 'user']);
    expect(query).toContain('token=app%2Bt0ken&url=http%3A%2F%2Fam.example%3A9093%2F%23%2Falerts%3Freceiver%3Dphone&');
    expect(Object.fromEntries(new URLSearchParams(query))).toEqual({
      token: 'app+t0ken',
      user: 'us3r',
      title: '[FIRING:1] FlinkJobDown (orders)',
      message: 'orders is down\n\nAlerts Firing:\nLabels:\n - alertname = FlinkJobDown\n - job_name = orders\nAnnotations:\n - summary = orders is down\nSource: http://prometheus:9090/graph',
      url: 'http://am.example:9093/#/alerts?receiver=phone',
      url_title: '',
      priority: '2',
      retry: '60',
      expire: '3600',
      device: '',
      sound: '',
    });
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'orders' }, { startsAt: n.clock.now() - 60_000, endsAt: n.clock.now() - 1_000 })]);
    expect(new URLSearchParams((await pushover.waitFor(2))[1]!.url.split('?')[1]).get('priority')).toBe('0');
  });

  it('html, ttl, device and sound; token and user key read from their files untrimmed (as upstream) and rendered', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'token'), 'T0K');
    writeFileSync(join(dir, 'user'), 'u-{{ .CommonLabels.team }}\n');
    const n = await build(config(`    html: true\n    message: '<b>{{ .CommonLabels.alertname }}</b> & {{ .CommonLabels.team }}'\n    ttl: 90s\n    retry: 1m30s\n    device: pixel\n    sound: siren`).replace("  - user_key: 'us3r'\n    token: 'app+t0ken'", `  - user_key_file: '${join(dir, 'user')}'\n    token_file: '${join(dir, 'token')}'`));
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', team: 'a<b' })]);
    const params = new URLSearchParams((await pushover.waitFor(1))[0]!.url.split('?')[1]);
    expect([params.get('token'), params.get('user'), params.get('html'), params.get('message'), params.get('ttl'), params.get('retry'), params.get('device'), params.get('sound')]).toEqual(['T0K', 'u-a<b\n', '1', '<b>FlinkJobDown</b> & a&lt;b', '90', '90', 'pixel', 'siren']);
  });

  it('truncates title (250), message (1024) and URL (512) runes, logging each; an empty message becomes "(no details)"', async () => {
    const n = await build(config(`    title: '${'t'.repeat(300)}'\n    message: '${'m'.repeat(1100)}'\n    url: 'http://x/${'u'.repeat(600)}'`));
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]);
    const params = new URLSearchParams((await pushover.waitFor(1))[0]!.url.split('?')[1]);
    expect([[...params.get('title')!].length, [...params.get('message')!].length, [...params.get('url')!].length]).toEqual([250, 1024, 512]);
    expect(n.logs.map((l) => [l.msg, l.fields['incident'], l.fields['max_runes']])).toEqual([
      ['Truncated title', '{}:{alertname="FlinkJobDown"}', 250],
      ['Truncated message', '{}:{alertname="FlinkJobDown"}', 1024],
      ['Truncated URL', '{}:{alertname="FlinkJobDown"}', 512],
    ]);
    const empty = await build(config(`    message: '  '`));
    await empty.notify([alertAt(empty.clock, { alertname: 'FlinkJobDown' })]);
    expect(new URLSearchParams((await pushover.waitFor(2))[1]!.url.split('?')[1]).get('message')).toBe('(no details)');
  });

  it.each([
    { status: 500, retryable: true, reason: 'serverError' },
    { status: 429, retryable: false, reason: 'clientError' },
    { status: 400, retryable: false, reason: 'clientError' },
  ])('answer $status: retryable $retryable', async ({ status, retryable, reason }) => {
    pushover.answer({ status, body: '{"status":0,"errors":["x"]}' });
    const n = await build(config());
    const err = await rejection(n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]));
    expect([err!.message, err!.retryable, err!.reason]).toEqual([`unexpected status code ${status}: {"status":0,"errors":["x"]}`, retryable, reason]);
  });

  it('a network failure is retried and hides the URL (it holds the token); an unreadable token file is not retried', async () => {
    const n = await notifierFromConfig('pushover', pushoverIntegrationWith({ messagesUrl: 'http://127.0.0.1:1/1/messages.json' }), config());
    const down = await rejection(n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]));
    expect([down!.message.startsWith('Post "<redacted>": '), down!.message.includes('t0ken'), down!.retryable]).toEqual([true, false, true]);
    const missing = await build(config().replace("token: 'app+t0ken'", `token_file: '${join(tempDir(), 'none')}'`));
    const err = await rejection(missing.notify([alertAt(missing.clock, { alertname: 'FlinkJobDown' })]));
    expect([err!.message.startsWith('read token_file: ENOENT'), err!.retryable]).toEqual([true, false]);
  });
});
