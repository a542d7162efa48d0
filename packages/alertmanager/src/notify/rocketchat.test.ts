import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpRecorder, tempDir } from '@pyrometer/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertmanagerError } from '../errors.js';
import { alertAt, testAlertmanager } from '../testing/harness.js';
import { notifierFromConfig } from '../testing/notifier-harness.js';
import { rocketchatIntegration } from './rocketchat.js';

let rc: HttpRecorder;
beforeEach(async () => {
  rc = await HttpRecorder.start({ otherwise: { status: 200, body: '{"success":true}', contentType: 'application/json' } });
});
afterEach(() => rc.close());

const config = (fields = '') => `
global: {rocketchat_api_url: '${rc.url}/chat/', rocketchat_token: t0ken, rocketchat_token_id: us3r}
route: {receiver: chat}
receivers:
- name: chat
  rocketchat_configs:
  - channel: '#flink'
${fields}`;

const rejection = (p: Promise<unknown>) => p.then(() => undefined, (err: unknown) => err as AlertmanagerError);

describe('rocketchat integration', () => {
  it('POSTs one message with one attachment from the default templates to <api_url>/api/v1/chat.postMessage with the token headers', async () => {
    const n = await notifierFromConfig('rocketchat', rocketchatIntegration, config());
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'orders' })]);
    const [req] = await rc.waitFor(1);
    expect([req!.method, req!.url, req!.headers['x-auth-token'], req!.headers['x-user-id'], req!.headers['content-type']]).toEqual(['POST', '/chat/api/v1/chat.postMessage', 't0ken', 'us3r', 'application/json']);
    expect(req!.body).toBe('{"channel":"#flink","attachments":[{"title":"[FIRING:1] FlinkJobDown (orders)","title_link":"http://am.example:9093/#/alerts?receiver=chat","color":"red"}]}\n');
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' }, { startsAt: n.clock.now() - 60_000, endsAt: n.clock.now() - 1_000 })]);
    expect(JSON.parse((await rc.waitFor(2))[1]!.body)).toMatchObject({ attachments: [{ title: '[RESOLVED] FlinkJobDown ', color: 'green' }] });
  });

  it('renders fields (short from short_fields unless set), buttons, emoji, icon and images; tokens from files', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'token'), 'FILET0KEN\n');
    writeFileSync(join(dir, 'id'), 'FILEID\n');
    const n = await notifierFromConfig(
      'rocketchat',
      rocketchatIntegration,
      config(`    token_file: '${join(dir, 'token')}'
    token_id_file: '${join(dir, 'id')}'
    text: 'job {{ .CommonLabels.job_name }}'
    emoji: ':fire:'
    icon_url: 'http://img/icon.png'
    image_url: 'http://img/{{ .CommonLabels.job_name }}.png'
    thumb_url: 'http://img/t.png'
    short_fields: true
    fields: [{title: Job, value: '{{ .CommonLabels.job_name }}'}, {title: Long, value: v, short: false}]
    actions: [{type: link, text: Runbook, url: 'http://wiki/{{ .CommonLabels.alertname }}', msg: m, imageurl: 'http://ignored'}]`).replace(', rocketchat_token: t0ken, rocketchat_token_id: us3r', ''),
    );
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'orders' })]);
    const [req] = await rc.waitFor(1);
    expect([req!.headers['x-auth-token'], req!.headers['x-user-id']]).toEqual(['FILET0KEN', 'FILEID']);
    expect(req!.body).toBe(
      '{"channel":"#flink","emoji":":fire:","avatar":"http://img/icon.png","attachments":[{"title":"[FIRING:1] FlinkJobDown (orders)","title_link":"http://am.example:9093/#/alerts?receiver=chat","text":"job orders","image_url":"http://img/orders.png","thumb_url":"http://img/t.png","color":"red",' +
        '"fields":[{"short":true,"title":"Job","value":"orders"},{"short":false,"title":"Long","value":"v"}],"actions":[{"type":"button","text":"Runbook","url":"http://wiki/FlinkJobDown","is_webview":false,"msg":"m","msg_in_chat_window":false}]}]}\n',
    );
  });

  it('an unreadable token file refuses the config, naming the receiver (upstream reads it when building the notifier)', async () => {
    const missing = join(tempDir(), 'none');
    await expect(testAlertmanager(config(`    token_file: '${missing}'`).replace(' rocketchat_token: t0ken,', ''))).rejects.toThrow(`receiver "chat": rocketchat_configs[0]: could not read ${missing}: ENOENT`);
  });

  it('truncates the title to 1024 runes, logging it', async () => {
    const n = await notifierFromConfig('rocketchat', rocketchatIntegration, config(`    title: '${'t'.repeat(1100)}'`));
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]);
    expect([...(JSON.parse((await rc.waitFor(1))[0]!.body) as { attachments: { title: string }[] }).attachments[0]!.title].length).toBe(1024);
    expect(n.logs).toContainEqual({ level: 'warn', msg: 'Truncated title', fields: { key: '{}:{alertname="FlinkJobDown"}', max_runes: 1024 } });
  });

  it.each([
    { answer: { status: 502, body: 'bad gateway' }, message: 'unexpected status code 502: bad gateway', retryable: true, reason: 'serverError' },
    { answer: { status: 400, body: '{"success":false}' }, message: 'unexpected status code 400: {"success":false}', retryable: false, reason: 'clientError' },
    { answer: { status: 200, body: '{"success":false,"error":"room not found"}' }, message: 'error response from Rocketchat: room not found', retryable: false, reason: 'clientError' },
    { answer: { status: 200, body: 'ok' }, message: 'could not unmarshal JSON response "ok": ', retryable: true, reason: 'clientError' },
  ])('answer $answer.status $answer.body: retryable $retryable', async ({ answer, message, retryable, reason }) => {
    rc.answer(answer);
    const n = await notifierFromConfig('rocketchat', rocketchatIntegration, config());
    const err = await rejection(n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]));
    expect([err!.message.startsWith(`channel "#flink": ${message}`), err!.retryable, err!.reason]).toEqual([true, retryable, reason]);
  });
});
