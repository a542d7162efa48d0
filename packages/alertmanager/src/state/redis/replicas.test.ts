import { Labels } from '@pyrometer/model';
import { silentLogger } from '@pyrometer/telemetry';
import { peer, startRedis } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { newAlert, type Alert } from '../../alerts/alert.js';
import type { Alertmanager } from '../../alertmanager.js';
import { systemClock } from '../../clock.js';
import { testAlertmanager } from '../../testing/harness.js';
import { webhookConfig } from '../../testing/webhook-config.js';
import { WebhookReceiver } from '../../testing/webhook-receiver.js';
import { fromMillis } from '../../time/instant.js';
import { RedisState } from './redis-state.js';
import { redisStateOptions } from './shared-options.js';

const redisServer = peer('redis-server', 'redis-server');

const config = (hook: string) => webhookConfig(hook, { groupBy: ['alertname'], groupWait: '500ms', groupInterval: '1s', repeatInterval: '4s' });

/** The alert as Prometheus posts it to every Alertmanager: firing until `endsAt` (ms). */
const posted = (endsAtMs: number): Alert => {
  const now = fromMillis(Date.now());
  return newAlert({ labels: Labels.from({ alertname: 'CheckpointsFailing', job_name: 'orders' }), annotations: {}, startsAt: now, endsAt: fromMillis(endsAtMs), generatorURL: '', updatedAt: now, timeout: false });
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Three Alertmanagers in this process sharing one Redis, on the real clock, all receiving the
// alert (as Prometheus sends to each): the pipeline's claims make every notification go out once.
describe.skipIf(redisServer.path === undefined)(`replicas sharing Redis (in process)${redisServer.missingReason ? ` — skipped: ${redisServer.missingReason}` : ''}`, () => {
  it('send each notification once — firing while the receiver fails then recovers, repeat, resolved', { timeout: 60_000 }, async () => {
    const redis = await startRedis(redisServer.path!);
    const hook = await WebhookReceiver.start();
    const states: RedisState[] = [];
    const replicas: Alertmanager[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const state = await RedisState.open({ url: redis.url, keyPrefix: 'am:', claimTtlMs: 3_000 });
        states.push(state);
        replicas.push((await testAlertmanager(config(hook.url), { clock: systemClock, ...redisStateOptions(state, systemClock, silentLogger()) })).am);
      }
      hook.respondAlwaysWith(500);
      const recovery = setTimeout(() => hook.respondAlwaysWith(200), 2_500);
      const firing = posted(Date.now() + 3_600_000);
      await Promise.all(replicas.map((am) => am.provider.put([firing])));
      await hook.waitFor(1, 15_000);
      while (hook.accepted.length < 1) await hook.waitFor(hook.received.length + 1, 15_000);
      clearTimeout(recovery);
      const failed = hook.received.filter((r) => r.status === 500).length;
      expect(failed).toBeGreaterThan(0);
      const first = Date.now();
      // Repeat: one more, after repeat_interval.
      while (hook.accepted.length < 2) await hook.waitFor(hook.received.length + 1, 15_000);
      expect(Date.now() - first).toBeGreaterThan(3_000);
      const resolved = posted(Date.now());
      await Promise.all(replicas.map((am) => am.provider.put([resolved])));
      while (hook.accepted.length < 3) await hook.waitFor(hook.received.length + 1, 15_000);
      await sleep(2_500);
      expect(hook.accepted.map((r) => r.body.status)).toEqual(['firing', 'firing', 'resolved']);
      expect(hook.received.length).toBe(failed + 3);
    } finally {
      await Promise.all(replicas.map((am) => am.stop()));
      await Promise.all(states.map((s) => s.close()));
      await hook.close();
    }
  });
});
