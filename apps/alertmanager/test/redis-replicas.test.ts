import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebhookReceiver, webhookConfig, type ReceivedWebhook, type WebhookConfigOptions } from '@pyrometer/alertmanager/testing';
import { eventually, freePort, peer, startProcess, startRedis, tempDir } from '@pyrometer/testkit';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { call, postJson, startAlertmanagerProcess } from './helpers.js';

const redisServer = peer('redis-server', 'redis-server');
const prometheus = peer('prometheus', 'prometheus');
const missing = redisServer.missingReason ?? prometheus.missingReason;

const PREFIX = 'am-test:';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function writeConfig(dir: string, hook: string, timers: Omit<WebhookConfigOptions, 'groupBy'>): string {
  const file = join(dir, 'alertmanager.yml');
  writeFileSync(file, webhookConfig(hook, { groupBy: ['alertname', 'job_name'], ...timers }));
  return file;
}

/** Three replicas of ours sharing one Redis, as separate processes. */
async function startReplicas(configFile: string, redisUrl: string, claimTtl: string) {
  return Promise.all([0, 1, 2].map(() => startAlertmanagerProcess(configFile, [`--store.redis-url=${redisUrl}`, `--store.redis-key-prefix=${PREFIX}`, `--store.redis-claim-ttl=${claimTtl}`])));
}

/** The accepted (2xx) notifications of each group (by its job_name), in order. */
function acceptedByGroup(hook: WebhookReceiver): Map<string, ReceivedWebhook[]> {
  const out = new Map<string, ReceivedWebhook[]>();
  for (const r of hook.accepted) {
    const group = r.body.groupLabels['job_name'] ?? '';
    out.set(group, [...(out.get(group) ?? []), r]);
  }
  return out;
}

/** The replica whose claim on a notification is in Redis (claims name the holder's pid). */
async function claimHolder<R extends { pid: number }>(raw: Redis, replicas: R[]): Promise<R> {
  const holder = await eventually(async () => {
    const [key] = await raw.keys(`${PREFIX}claim:*`);
    return key === undefined ? undefined : ((await raw.get(key)) ?? undefined);
  }, 30_000, 'a replica to claim the notification');
  const replica = replicas.find((r) => holder.split('/')[1] === String(r.pid));
  if (replica === undefined) throw new Error(`the claim holder ${holder} is none of the replicas`);
  return replica;
}

/** A scrape target whose `flink_job_up` gauges the test sets (0 = the job is down, the alert fires). */
async function flinkTarget(jobs: string[]) {
  let up = 0;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(`# TYPE flink_job_up gauge\n${jobs.map((j) => `flink_job_up{job_name="${j}"} ${up}`).join('\n')}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${(server.address() as AddressInfo).port}`, setUp: (v: number) => void (up = v), close: () => new Promise<void>((r) => server.close(() => r())) };
}

// Replicas without gossip: three of our Alertmanagers share alerts, silences and the notification
// log through a Redis the test starts, and claim each notification before sending it.
describe.skipIf(missing !== undefined)(`replicas sharing Redis (--store.redis-url)${missing ? ` — skipped: ${missing}` : ''}`, () => {
  it("notify once per group per phase — firing while the receiver fails then recovers, repeat, resolved — with Debian's Prometheus sending to all three", { timeout: 180_000 }, async () => {
    const dir = tempDir();
    const redis = await startRedis(redisServer.path!);
    const hook = await WebhookReceiver.start();
    const target = await flinkTarget(['orders', 'billing']);
    try {
      hook.respondAlwaysWith(500);
      const configFile = writeConfig(dir, hook.url, { groupWait: '1s', groupInterval: '2s', repeatInterval: '8s' });
      const replicas = await startReplicas(configFile, redis.url, '3s');
      writeFileSync(join(dir, 'rules.yml'), 'groups:\n- name: flink\n  interval: 1s\n  rules:\n  - alert: FlinkJobDown\n    expr: flink_job_up == 0\n    labels: {severity: critical}\n');
      const amTargets = replicas.map((r) => `'${r.url.replace('http://', '')}'`).join(', ');
      writeFileSync(join(dir, 'prometheus.yml'), `global: {scrape_interval: 1s, evaluation_interval: 1s}\nrule_files: [rules.yml]\nscrape_configs:\n- job_name: flink\n  static_configs: [{targets: ['${target.address}']}]\nalerting:\n  alertmanagers:\n  - api_version: v2\n    static_configs: [{targets: [${amTargets}]}]\n`);
      const promPort = await freePort();
      await startProcess(prometheus.path!, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'prom-data')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--rules.alert.resend-delay=1s'], { readyUrl: `http://127.0.0.1:${promPort}/-/ready`, stopWithTest: true });

      // Firing: the receiver answers 500 for 12 s, longer than a flush may take (10 s), so the
      // claim is released and taken again, maybe by another replica; then it recovers.
      await hook.waitFor(1, 60_000);
      await sleep(12_000);
      hook.respondAlwaysWith(200);
      const both = (n: number) => () => Promise.resolve([...acceptedByGroup(hook).values()].filter((list) => list.length >= n).length === 2 ? true : undefined);
      await eventually(both(1), 20_000, 'a firing notification of each group');
      expect(hook.received.filter((r) => r.status === 500).length).toBeGreaterThan(1);
      // Repeat after repeat_interval, then the jobs come back and Prometheus resolves the alerts.
      await eventually(both(2), 30_000, 'the repeated notification of each group');
      target.setUp(1);
      await eventually(both(3), 30_000, 'the resolved notification of each group');
      await sleep(6_000); // three group intervals: nothing else may come
      const groups = acceptedByGroup(hook);
      expect([...groups.keys()].sort()).toEqual(['billing', 'orders']);
      for (const [group, list] of groups) {
        expect(list.map((r) => r.body.status), group).toEqual(['firing', 'firing', 'resolved']);
        // The repeat came after repeat_interval (8 s), not as a duplicate right after the first.
        expect(list[1]!.receivedAt - list[0]!.receivedAt, group).toBeGreaterThan(7_000);
      }
    } finally {
      await target.close();
      await hook.close();
    }
  });

  it('a replica killed (SIGKILL) while it holds the claim and retries loses nothing: another takes over once the claim lapses, and the notification goes out once', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const redis = await startRedis(redisServer.path!);
    const hook = await WebhookReceiver.start();
    const raw = new Redis(redis.url);
    try {
      hook.respondAlwaysWith(500);
      const configFile = writeConfig(dir, hook.url, { groupWait: '1s', groupInterval: '1s', repeatInterval: '1h' });
      const replicas = await startReplicas(configFile, redis.url, '2s');
      // What Prometheus does: the same alert to every Alertmanager.
      const alert = [{ labels: { alertname: 'FlinkCheckpointsFailing', job_name: 'orders' }, endsAt: new Date(Date.now() + 3_600_000).toISOString() }];
      for (const r of replicas) expect((await postJson(`${r.url}/api/v2/alerts`, alert)).status).toBe(200);
      // The replica holding the claim is retrying against the failing receiver: kill it mid-flight.
      const victim = await claimHolder(raw, replicas);
      await hook.waitFor(2, 30_000);
      process.kill(victim.pid, 'SIGKILL');
      hook.respondAlwaysWith(200);
      await eventually(() => Promise.resolve(hook.accepted.length > 0 ? true : undefined), 30_000, 'a survivor to send the notification');
      await sleep(4_000); // the lapsed claim, several group intervals: still one
      expect(hook.accepted.map((r) => [r.body.status, r.body.groupKey])).toEqual([['firing', '{}:{alertname="FlinkCheckpointsFailing", job_name="orders"}']]);
      // The survivors still have the alert (it is in Redis, not in the dead replica's memory).
      for (const r of replicas.filter((x) => x !== victim)) expect(JSON.parse((await call(`${r.url}/api/v2/alerts`)).body)).toHaveLength(1);
    } finally {
      raw.disconnect();
      await hook.close();
    }
  });

  it('the boundary: a replica killed after the receiver accepted but before it logged the send makes the notification go out twice (at least once)', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const redis = await startRedis(redisServer.path!);
    const raw = new Redis(redis.url);
    let replicas: Awaited<ReturnType<typeof startReplicas>> = [];
    // The receiver takes the first notification, then its sender dies before hearing the answer.
    const hook = await WebhookReceiver.start({
      beforeAnswer: async (request) => {
        if (hook.received.indexOf(request) !== 0) return;
        process.kill((await claimHolder(raw, replicas)).pid, 'SIGKILL');
        await sleep(200);
      },
    });
    try {
      const configFile = writeConfig(dir, hook.url, { groupWait: '1s', groupInterval: '1s', repeatInterval: '1h' });
      replicas = await startReplicas(configFile, redis.url, '2s');
      const alert = [{ labels: { alertname: 'FlinkCheckpointsFailing', job_name: 'orders' }, endsAt: new Date(Date.now() + 3_600_000).toISOString() }];
      for (const r of replicas) expect((await postJson(`${r.url}/api/v2/alerts`, alert)).status).toBe(200);
      await hook.waitFor(2, 30_000);
      await sleep(3_000);
      const [first, second] = hook.accepted;
      expect(hook.accepted).toHaveLength(2);
      expect(second!.body.groupKey).toBe(first!.body.groupKey);
      // Sent again only once the dead replica's claim lapsed (2 s).
      expect(second!.receivedAt - first!.receivedAt).toBeGreaterThan(1_500);
    } finally {
      raw.disconnect();
      await hook.close();
    }
  });
});
