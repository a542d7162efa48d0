import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, HttpRecorder, peer, type RecordedRequest, startProcess, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { postJson, startTestAlertmanager } from './helpers.js';

const upstream = peer('prometheus-alertmanager', 'prometheus-alertmanager');

// The receivers Debian's Alertmanager (0.25) shares with 0.28 and that a URL setting can point at
// a local server (Webex, VictorOps, WeChat, SNS): the same config and alerts sent to it and to
// ours, each side with its own stand-in servers; what each receiver gets must be the same
// (method, path and query, body — SNS's as form parameters, its signature being time-bound).
const config = (api: string) => `
global:
  webex_api_url: '${api}/webex'
  victorops_api_url: '${api}/victorops/'
  victorops_api_key: k3y
  wechat_api_url: '${api}/wechat/'
  wechat_api_secret: s3cret
  wechat_api_corp_id: c0rp
route:
  receiver: webex
  group_by: [alertname, integration]
  group_wait: 1s
  group_interval: 2s
  routes:
  - {matchers: ['integration="victorops"'], receiver: victorops}
  - {matchers: ['integration="wechat"'], receiver: wechat}
  - {matchers: ['integration="sns"'], receiver: sns}
receivers:
- name: webex
  webex_configs: [{room_id: r00m, http_config: {authorization: {credentials: t0k}}}]
- name: victorops
  victorops_configs: [{routing_key: '{{ .CommonLabels.job_name }}', custom_fields: {team: flink}}]
- name: wechat
  wechat_configs: [{to_party: flink, agent_id: '1000002'}]
- name: sns
  sns_configs:
  - api_url: '${api}/sns'
    sigv4: {region: eu-west-1, access_key: AKID, secret_key: s3cr3t}
    topic_arn: 'arn:aws:sns:eu-west-1:1:flink'
    attributes: {team: flink}
`;

const TYPES = ['webex', 'victorops', 'wechat', 'sns'] as const;
const ANSWER = { status: 200, contentType: 'application/json', body: '{"errcode":0,"errmsg":"ok","access_token":"T0K"}' };

/** What a receiver got, comparable across the two: SNS's form body as sorted parameters. */
function request(r: RecordedRequest): unknown {
  const body = r.url.startsWith('/sns') ? [...new URLSearchParams(r.body)].sort() : r.body;
  return { method: r.method, url: r.url, contentType: r.headers['content-type'], body };
}

describe.skipIf(upstream.missingReason !== undefined)(`receivers differential: Debian's Alertmanager and ours${upstream.missingReason ? ` — skipped: ${upstream.missingReason}` : ''}`, () => {
  it('Webex, VictorOps, WeChat and SNS get the same requests from both, firing then resolved', async () => {
    const [theirsApi, oursApi] = await Promise.all([HttpRecorder.start({ otherwise: ANSWER }), HttpRecorder.start({ otherwise: ANSWER })]);
    const dir = tempDir();
    const external = 'http://am.example:9093';
    try {
      writeFileSync(join(dir, 'upstream.yml'), config(theirsApi.url));
      const port = await freePort();
      await startProcess(upstream.path!, [`--config.file=${join(dir, 'upstream.yml')}`, `--storage.path=${join(dir, 'upstream-data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', `--web.external-url=${external}`], { readyUrl: `http://127.0.0.1:${port}/-/ready`, stopWithTest: true });
      const ours = await startTestAlertmanager(config(oursApi.url), [`--web.external-url=${external}`]);
      try {
        const startsAt = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
        const alerts = (endsAt?: string) => TYPES.map((t) => ({ labels: { alertname: 'FlinkJobDown', integration: t, job_name: 'orders' }, annotations: { summary: 'orders is down', description: 'no <running> tasks' }, startsAt, ...(endsAt === undefined ? {} : { endsAt }), generatorURL: 'http://prom:9090/graph?g0.expr=up&g0.tab=1' }));
        const post = (body: unknown) => Promise.all([postJson(`http://127.0.0.1:${port}/api/v2/alerts`, body), postJson(`${ours.url.replace(/\/$/, '')}/api/v2/alerts`, body)]);
        await post(alerts());
        // WeChat fetches its token first: five requests each.
        const [theirs, ourRequests] = await Promise.all([theirsApi.waitFor(5, 15_000), oursApi.waitFor(5, 15_000)]);
        const byUrl = (list: readonly RecordedRequest[]) => list.map(request).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
        expect(byUrl(ourRequests)).toEqual(byUrl(theirs));
        expect(theirs.map((r) => r.url.split('?')[0]).sort()).toEqual(['/sns/', '/victorops/k3y/orders', '/webex', '/wechat/gettoken', '/wechat/message/send']);
        // Resolved: WeChat does not send resolved notifications by default, the others do.
        await post(alerts(new Date().toISOString()));
        const [theirsAll, oursAll] = await Promise.all([theirsApi.waitFor(8, 15_000), oursApi.waitFor(8, 15_000)]);
        await new Promise((r) => setTimeout(r, 3_000));
        expect(byUrl(oursApi.requests.slice(5))).toEqual(byUrl(theirsApi.requests.slice(5)));
        expect([theirsAll.length, oursAll.length, theirsApi.requests.length, oursApi.requests.length]).toEqual([8, 8, 8, 8]);
        expect(JSON.parse(theirsApi.requests.find((r, i) => i >= 5 && r.url.startsWith('/victorops'))!.body)).toMatchObject({ message_type: 'RECOVERY' });
      } finally {
        await ours.close();
      }
    } finally {
      await Promise.all([theirsApi.close(), oursApi.close()]);
    }
  }, 60_000);
});
