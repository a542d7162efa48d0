import { HttpRecorder } from '@pyrometer/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertmanagerError } from '../errors.js';
import { alertAt } from '../testing/harness.js';
import { notifierFromConfig, type NotifierUnderTest } from '../testing/notifier-harness.js';
import { wechatIntegration } from './wechat.js';

// One answer serves both endpoints: gettoken reads access_token, message/send reads errcode.
const OK = { status: 200, body: '{"errcode":0,"errmsg":"ok","access_token":"T0K1"}', contentType: 'application/json' };

let wx: HttpRecorder;
beforeEach(async () => {
  wx = await HttpRecorder.start({ otherwise: OK });
});
afterEach(() => wx.close());

const config = (fields = '') => `
global: {wechat_api_url: '${wx.url}/cgi-bin/', wechat_api_secret: 's3cret+', wechat_api_corp_id: c0rp}
route: {receiver: ops}
receivers:
- name: ops
  wechat_configs:
  - to_user: '{{ .CommonLabels.owner }}'
    agent_id: '1000002'
${fields}`;

const rejection = (p: Promise<unknown>) => p.then(() => undefined, (err: unknown) => err as AlertmanagerError);
const firing = (n: NotifierUnderTest) => [alertAt(n.clock, { alertname: 'FlinkJobDown', owner: 'ana' })];

describe('wechat integration', () => {
  it('fetches an access token, then POSTs the text message with it; both content objects are written, as Go writes them', async () => {
    const n = await notifierFromConfig('wechat', wechatIntegration, config());
    await n.notify(firing(n));
    const [token, send] = await wx.waitFor(2);
    expect([token!.method, token!.url, token!.headers['content-type'], token!.headers['user-agent']]).toEqual(['GET', '/cgi-bin/gettoken?corpid=c0rp&corpsecret=s3cret%2B', undefined, 'Alertmanager/0.28.1']);
    expect([send!.method, send!.url, send!.headers['content-type']]).toEqual(['POST', '/cgi-bin/message/send?access_token=T0K1', 'application/json']);
    const content = JSON.parse(send!.body) as { text: { content: string } };
    expect(content.text.content).toContain('FlinkJobDown');
    expect(send!.body).toBe(`{"text":{"content":${JSON.stringify(content.text.content)}},"touser":"ana","agentid":"1000002","safe":"0","msgtype":"text","markdown":{"content":""}}\n`);
  });

  it('keeps the token for 2 hours, then fetches a new one', async () => {
    const n = await notifierFromConfig('wechat', wechatIntegration, config());
    await n.notify(firing(n));
    await n.clock.advance(2 * 3_600_000);
    await n.notify(firing(n));
    expect(wx.requests.map((r) => r.url.split('?')[0])).toEqual(['/cgi-bin/gettoken', '/cgi-bin/message/send', '/cgi-bin/message/send']);
    await n.clock.advance(1);
    wx.answer({ ...OK, body: '{"access_token":"T0K2"}' });
    await n.notify(firing(n));
    expect(wx.requests.slice(3).map((r) => r.url)).toEqual(['/cgi-bin/gettoken?corpid=c0rp&corpsecret=s3cret%2B', '/cgi-bin/message/send?access_token=T0K2']);
  });

  it('an expired token (errcode 42001) is retried with a new token; another errcode fails for good with its errmsg', async () => {
    const n = await notifierFromConfig('wechat', wechatIntegration, config());
    wx.answer(OK, { ...OK, body: '{"errcode":42001,"errmsg":"access_token expired"}' });
    const expired = await rejection(n.notify(firing(n)));
    expect([expired!.message, expired!.retryable]).toEqual(['access_token expired', true]);
    wx.answer({ ...OK, body: '{"access_token":"T0K2"}' }, { ...OK, body: '{"errcode":81013,"errmsg":"user & party & tag all invalid"}' });
    const invalid = await rejection(n.notify(firing(n)));
    expect([invalid!.message, invalid!.retryable]).toEqual(['user & party & tag all invalid', false]);
    expect(wx.requests.map((r) => r.url.split('?')[0])).toEqual(['/cgi-bin/gettoken', '/cgi-bin/message/send', '/cgi-bin/gettoken', '/cgi-bin/message/send']);
    expect(wx.requests[3]!.url).toBe('/cgi-bin/message/send?access_token=T0K2');
  });

  it('markdown messages fill the markdown content', async () => {
    const n = await notifierFromConfig('wechat', wechatIntegration, config(`    message_type: markdown\n    message: '**{{ .CommonLabels.alertname }}**'`));
    await n.notify(firing(n));
    expect(JSON.parse((await wx.waitFor(2))[1]!.body)).toMatchObject({ text: { content: '' }, msgtype: 'markdown', markdown: { content: '**FlinkJobDown**' } });
  });

  it.each([
    { answer: { status: 500, body: 'down' }, message: 'unexpected status code 500', retryable: true, reason: 'serverError' },
    { answer: { status: 403, body: 'no' }, message: 'unexpected status code 403', retryable: true, reason: 'clientError' },
    { answer: { status: 200, body: 'not json' }, message: 'Unexpected token', retryable: true, reason: 'other' },
  ])('send answer $answer.status $answer.body: retryable $retryable (every status but 200 is retried, as upstream)', async ({ answer, message, retryable, reason }) => {
    const n = await notifierFromConfig('wechat', wechatIntegration, config());
    wx.answer(OK, answer);
    const err = await rejection(n.notify(firing(n)));
    expect([err!.message.startsWith(message), err!.retryable, err!.reason]).toEqual([true, retryable, reason]);
  });

  it('a token answer without access_token fails for good, naming the corp id', async () => {
    const n = await notifierFromConfig('wechat', wechatIntegration, config());
    wx.answer({ ...OK, body: '{"errcode":40001,"errmsg":"invalid credential"}' });
    const err = await rejection(n.notify(firing(n)));
    expect([err!.message, err!.retryable]).toEqual(['invalid APISecret for CorpID: c0rp', false]);
    expect(wx.requests).toHaveLength(1);
  });

  it("keeps the API URL's own query when sending, not when fetching the token (as upstream)", async () => {
    const n = await notifierFromConfig('wechat', wechatIntegration, config().replace("/cgi-bin/'", "/cgi-bin/?debug=1'"));
    await n.notify(firing(n));
    expect((await wx.waitFor(2)).map((r) => r.url)).toEqual(['/cgi-bin/gettoken?corpid=c0rp&corpsecret=s3cret%2B', '/cgi-bin/message/send?access_token=T0K1&debug=1']);
  });
});
