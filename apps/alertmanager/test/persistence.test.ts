import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebhookReceiver } from '@pyrometer/alertmanager/testing';
import { freePort, peer, startProcess, tempDir } from '@pyrometer/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { call, postJson, startTestAlertmanager } from './helpers.js';

const upstream = peer('prometheus-alertmanager', 'prometheus-alertmanager');

const config = (hook: string) => `
route:
  receiver: team
  group_by: [alertname]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
receivers:
- name: team
  webhook_configs: [{url: '${hook}', send_resolved: true}]
`;

const later = () => new Date(Date.now() + 3_600_000).toISOString();
const silence = () => ({ matchers: [{ name: 'alertname', value: 'Quiet', isRegex: false }], startsAt: new Date().toISOString(), endsAt: later(), createdBy: 'ops', comment: 'kept across restarts' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let hook: WebhookReceiver;
afterEach(async () => {
  await hook?.close();
});

describe('state across restarts', () => {
  it('keeps silences, the notification log, alerts and group timers: a restart never re-pages', async () => {
    hook = await WebhookReceiver.start();
    const dir = tempDir();
    let am = await startTestAlertmanager(config(hook.url), [], {}, dir);
    await postJson(`${am.url}/api/v2/alerts`, [{ labels: { alertname: 'Lag', job_name: 'orders' }, endsAt: later() }]);
    const { silenceID } = JSON.parse((await postJson(`${am.url}/api/v2/silences`, silence())).body) as { silenceID: string };
    await hook.waitFor(1);
    // Closing right away: the notification in flight is allowed to finish and be logged.
    await am.close();

    am = await startTestAlertmanager(config(hook.url), [], {}, dir);
    try {
      expect(JSON.parse((await call(`${am.url}/api/v2/silence/${silenceID}`)).body)).toMatchObject({ comment: 'kept across restarts', status: { state: 'active' } });
      const alerts = JSON.parse((await call(`${am.url}/api/v2/alerts`)).body) as { labels: Record<string, string> }[];
      expect(alerts.map((a) => a.labels['alertname'])).toEqual(['Lag']);
      // Two group intervals later: the group flushed (its timer resumed) but the log says it was sent.
      await sleep(4_500);
      expect(hook.received).toHaveLength(1);
      await postJson(`${am.url}/api/v2/alerts`, [{ labels: { alertname: 'Lag', job_name: 'billing' }, endsAt: later() }]);
      const [, second] = await hook.waitFor(2);
      expect(second!.body.alerts.map((a) => a.labels['job_name'])).toEqual(['billing', 'orders']);
    } finally {
      await am.close();
    }
  });
});

describe.skipIf(upstream.missingReason !== undefined)(`upstream's data folder${upstream.missingReason ? ` — skipped: ${upstream.missingReason}` : ''}`, () => {
  async function startUpstream(dir: string, hookUrl: string) {
    writeFileSync(join(dir, 'upstream.yml'), config(hookUrl));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const proc = await startProcess(upstream.path!, [`--config.file=${join(dir, 'upstream.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='], { readyUrl: `${url}/-/ready` });
    return { url, proc };
  }

  it("reads the silences and notification log Debian's Alertmanager wrote, and keeps its deduplication", async () => {
    hook = await WebhookReceiver.start();
    const dir = tempDir();
    const theirs = await startUpstream(dir, hook.url);
    const alert = [{ labels: { alertname: 'Lag', job_name: 'orders' }, endsAt: later() }];
    await postJson(`${theirs.url}/api/v2/alerts`, alert);
    const { silenceID } = JSON.parse((await postJson(`${theirs.url}/api/v2/silences`, silence())).body) as { silenceID: string };
    await hook.waitFor(1);
    // Give upstream the moment it needs to log the notification it just sent.
    await sleep(1_000);
    await theirs.proc.stop();

    const ours = await startTestAlertmanager(config(hook.url), [], {}, dir);
    try {
      expect(JSON.parse((await call(`${ours.url}/api/v2/silence/${silenceID}`)).body)).toMatchObject({ id: silenceID, createdBy: 'ops', status: { state: 'active' } });
      // Prometheus re-sends the alert; upstream's log already has it, so no second page.
      await postJson(`${ours.url}/api/v2/alerts`, alert);
      await sleep(3_500);
      expect(hook.received).toHaveLength(1);
    } finally {
      await ours.close();
    }
  });

  it("writes silences Debian's Alertmanager reads", async () => {
    hook = await WebhookReceiver.start();
    const dir = tempDir();
    const ours = await startTestAlertmanager(config(hook.url), [], {}, dir);
    const { silenceID } = JSON.parse((await postJson(`${ours.url}/api/v2/silences`, silence())).body) as { silenceID: string };
    await ours.close();
    const theirs = await startUpstream(dir, hook.url);
    try {
      expect(JSON.parse((await call(`${theirs.url}/api/v2/silence/${silenceID}`)).body)).toMatchObject({ id: silenceID, comment: 'kept across restarts', status: { state: 'active' } });
    } finally {
      await theirs.proc.stop();
    }
  });
});
