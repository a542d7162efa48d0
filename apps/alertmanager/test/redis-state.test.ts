import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { WebhookReceiver, webhookConfig } from '@pyrometer/alertmanager/testing';
import { eventually, peer, startRedis, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { call, postJson, startTestAlertmanager } from './helpers.js';

const redisServer = peer('redis-server', 'redis-server');
const amtool = peer('amtool', 'prometheus-alertmanager');
const missing = redisServer.missingReason ?? amtool.missingReason;
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const config = (hook: string, groupWait = '1s') => webhookConfig(hook, { groupBy: ['alertname'], groupWait, groupInterval: '1s', repeatInterval: '1h' });
const later = () => new Date(Date.now() + 3_600_000).toISOString();

describe.skipIf(missing !== undefined)(`state shared through Redis${missing ? ` — skipped: ${missing}` : ''}`, () => {
  it('silences created or expired through any replica are seen by amtool on every replica and act on all of them', { timeout: 60_000 }, async () => {
    const redis = await startRedis(redisServer.path!);
    const hook = await WebhookReceiver.start();
    const replicas = await Promise.all([0, 1, 2].map(() => startTestAlertmanager(config(hook.url), [`--store.redis-url=${redis.url}`])));
    const [a, b, c] = replicas as [(typeof replicas)[0], (typeof replicas)[0], (typeof replicas)[0]];
    const tool = async (am: { url: string }, ...args: string[]) => (await run(amtool.path!, [`--alertmanager.url=${am.url}/`, ...args], { timeout: 15_000 })).stdout.trim();
    try {
      const id = await tool(a, 'silence', 'add', 'alertname=FlinkJobDown', '--comment=maintenance', '--author=ops', '--duration=1h');
      for (const am of [b, c]) await eventually(async () => ((await tool(am, 'silence', 'query', '-q')) === id ? true : undefined), 10_000, 'the silence on every replica');
      // The alert reaches one replica only; every replica sees it silenced, none notifies.
      expect((await postJson(`${c.url}/api/v2/alerts`, [{ labels: { alertname: 'FlinkJobDown', job_name: 'orders' }, endsAt: later() }])).status).toBe(200);
      for (const am of [a, b]) {
        const silenced = await eventually(async () => {
          const list = JSON.parse(await tool(am, 'alert', 'query', '--silenced', '-o', 'json')) as { status: { silencedBy: string[] } }[];
          return list.length === 1 ? list : undefined;
        }, 10_000, 'the silenced alert on every replica');
        expect(silenced[0]!.status.silencedBy).toEqual([id]);
      }
      await sleep(2_500);
      expect(hook.received).toHaveLength(0);
      // Expired through another replica: expired everywhere, and the alert goes out, once.
      await tool(c, 'silence', 'expire', id);
      await eventually(async () => ((await tool(a, 'silence', 'query', '--expired', '-q')) === id ? true : undefined), 10_000, 'the expiry on a');
      expect(await tool(b, 'silence', 'query', '-q')).toBe('');
      await hook.waitFor(1, 10_000);
      await sleep(2_500);
      expect(hook.accepted.map((r) => r.body.status)).toEqual(['firing']);
    } finally {
      await Promise.all(replicas.map((am) => am.close()));
      await hook.close();
    }
  });

  it('a restarted replica gets the alerts, silences and group timers back from Redis: no re-page, no new group_wait', { timeout: 60_000 }, async () => {
    const redis = await startRedis(redisServer.path!);
    const hook = await WebhookReceiver.start();
    const args = [`--store.redis-url=${redis.url}`];
    const groupWait = '8s';
    let am = await startTestAlertmanager(config(hook.url, groupWait), args);
    try {
      await postJson(`${am.url}/api/v2/alerts`, [{ labels: { alertname: 'Lag', job_name: 'orders' }, endsAt: later() }]);
      const silence = { matchers: [{ name: 'alertname', value: 'Quiet', isRegex: false }], startsAt: new Date().toISOString(), endsAt: later(), createdBy: 'ops', comment: 'kept in Redis' };
      const { silenceID } = JSON.parse((await postJson(`${am.url}/api/v2/silences`, silence)).body) as { silenceID: string };
      const posted = Date.now();
      await am.close();
      // A new process with an empty data folder: everything comes from Redis.
      await sleep(5_000);
      am = await startTestAlertmanager(config(hook.url, groupWait), args, {}, tempDir());
      expect(JSON.parse((await call(`${am.url}/api/v2/alerts`)).body).map((a: { labels: Record<string, string> }) => a.labels['job_name'])).toEqual(['orders']);
      expect(JSON.parse((await call(`${am.url}/api/v2/silence/${silenceID}`)).body)).toMatchObject({ comment: 'kept in Redis', status: { state: 'active' } });
      // The group resumes its group_wait from before the restart: it flushes 8 s after the alert
      // came, not 8 s after the restart (which would be 13 s after).
      const [first] = await hook.waitFor(1, 15_000);
      expect(first!.receivedAt - posted).toBeLessThan(10_500);
      await am.close();
      am = await startTestAlertmanager(config(hook.url, groupWait), args, {}, tempDir());
      await sleep(2_500); // the restored group flushes; the log says it was sent
      expect(hook.received).toHaveLength(1);
    } finally {
      await am.close();
      await hook.close();
    }
  });
});
