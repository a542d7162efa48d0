import { HttpRecorder } from '@pyrometer/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertmanagerError } from '../errors.js';
import { alertAt } from '../testing/harness.js';
import { notifierFromConfig } from '../testing/notifier-harness.js';
import { truncateInBytes } from './truncate.js';
import { webexIntegration } from './webex.js';

let webex: HttpRecorder;
beforeEach(async () => {
  webex = await HttpRecorder.start({ otherwise: { status: 200, body: '{"id":"m1"}', contentType: 'application/json' } });
});
afterEach(() => webex.close());

const config = (fields = '') => `
global: {webex_api_url: '${webex.url}/v1/messages'}
route: {receiver: chat}
receivers:
- name: chat
  webex_configs:
  - room_id: '{{ .CommonLabels.room }}'
    http_config: {authorization: {credentials: t0ken}}
${fields}`;

const rejection = (p: Promise<unknown>) => p.then(() => undefined, (err: unknown) => err as AlertmanagerError);

describe('webex integration', () => {
  it('posts the markdown message from the default template and the rendered room id, with the bearer credentials', async () => {
    const n = await notifierFromConfig('webex', webexIntegration, config());
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', room: 'R00M' }, { annotations: { summary: 'orders is down' } })]);
    const [req] = await webex.waitFor(1);
    expect([req!.method, req!.url, req!.headers['authorization'], req!.headers['content-type'], req!.headers['user-agent']]).toEqual(['POST', '/v1/messages', 'Bearer t0ken', 'application/json', 'Alertmanager/0.28.1']);
    const markdown = 'orders is down\\n\\nAlerts Firing:\\nLabels:\\n - alertname = FlinkJobDown\\n - room = R00M\\nAnnotations:\\n - summary = orders is down\\nSource: http://prometheus:9090/graph\\n\\n\\n\\n';
    expect(req!.body).toBe(`{"markdown":"${markdown}","roomId":"R00M"}\n`);
  });

  it('truncates the message to 7439 bytes on a character boundary, ending in …, and logs it at debug', async () => {
    const n = await notifierFromConfig('webex', webexIntegration, config(`    message: '${'é'.repeat(5000)}'`));
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', room: 'r' })]);
    const markdown = (JSON.parse((await webex.waitFor(1))[0]!.body) as { markdown: string }).markdown;
    expect(markdown).toBe(`${'é'.repeat(3718)}…`);
    expect(Buffer.byteLength(markdown)).toBe(7439);
    expect(n.logs).toContainEqual({ level: 'debug', msg: 'message truncated due to exceeding maximum allowed length by webex', fields: { key: '{}:{alertname="FlinkJobDown"}', max_bytes: 7439 } });
  });

  it('truncates in bytes as upstream for tiny limits', () => {
    expect([truncateInBytes('abcd', 4), truncateInBytes('abcde', 3), truncateInBytes('abcde', 2), truncateInBytes('aé€x', 6)]).toEqual([['abcd', false], ['…', true], ['..', true], ['aé…', true]]);
  });

  it.each([
    { status: 500, retryable: true },
    { status: 401, retryable: false },
    { status: 429, retryable: false },
  ])('answer $status: retryable $retryable, reason other (upstream 0.28 does not classify Webex failures)', async ({ status, retryable }) => {
    webex.answer({ status, body: '{"message":"x"}' });
    const n = await notifierFromConfig('webex', webexIntegration, config());
    const err = await rejection(n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', room: 'r' })]));
    expect([err!.message, err!.retryable, err!.reason]).toEqual([`unexpected status code ${status}: {"message":"x"}`, retryable, 'other']);
  });
});
