import { peer, startRedis, type RunningRedis } from '@pyrometer/testkit';
import { Labels } from '@pyrometer/model';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newAlert, type Alert } from '../../alerts/alert.js';
import { MatchType, Matcher } from '../../labels/matcher.js';
import { nflogEntryCodec } from '../../nflog/codec.js';
import type { StoredEntry } from '../../nflog/entry.js';
import { silenceCodec } from '../../silences/codec.js';
import type { StoredSilence } from '../../silences/silence.js';
import { RedisAlertProvider } from './redis-alert-provider.js';
import { RedisGroupTimerStore } from './redis-group-timers.js';
import { RedisState } from './redis-state.js';
import { RedisStateStore } from './redis-state-store.js';
import { silentLogger } from '@pyrometer/telemetry';

const redisServer = peer('redis-server', 'redis-server');
const S = 1_000_000_000n;
const T0 = 1_750_000_000n * S;

const silence = (id: string, updatedAt: bigint, comment = 'c'): StoredSilence => ({
  silence: { id, matchers: [new Matcher(MatchType.Equal, 'job', 'flink')], startsAt: T0, endsAt: T0 + 3600n * S, updatedAt, createdBy: 'ops', comment },
  expiresAt: T0 + 7200n * S,
});
const entry = (groupKey: string, timestamp: bigint): StoredEntry => ({ entry: { groupKey, receiver: { groupName: 'team', integration: 'webhook', idx: 0 }, timestamp, firingAlerts: [1n], resolvedAlerts: [] }, expiresAt: timestamp + 3600n * S });
const alert = (name: string, updatedAt: bigint, endsAt = updatedAt + 300n * S): Alert => newAlert({ labels: Labels.from({ alertname: name }), annotations: {}, startsAt: T0, endsAt, generatorURL: '', updatedAt, timeout: false });
const until = async (check: () => boolean, what: string) => {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.skipIf(redisServer.path === undefined)(`the Redis state (real redis-server)${redisServer.missingReason ? ` — skipped: ${redisServer.missingReason}` : ''}`, () => {
  let redis: RunningRedis;
  let prefixes = 0;
  const open: RedisState[] = [];
  beforeAll(async () => {
    redis = await startRedis(redisServer.path!);
  });
  afterAll(() => redis.process.stop());
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  /** Replicas on one key prefix, fresh per test. */
  const cluster = () => {
    const keyPrefix = `t${++prefixes}:`;
    return async (claimTtlMs = 15_000) => {
      const s = await RedisState.open({ url: redis.url, keyPrefix, claimTtlMs });
      open.push(s);
      return s;
    };
  };
  const silences = (s: RedisState) => new RedisStateStore(s, 'silences', silenceCodec, silentLogger());
  const nflog = (s: RedisState) => new RedisStateStore(s, 'nflog', nflogEntryCodec, silentLogger());

  it('hands records one replica writes to the others, and to a replica started later', async () => {
    const replica = cluster();
    const [a, b] = [silences(await replica()), silences(await replica())];
    const seen: string[] = [];
    b.subscribe((key, s) => seen.push(`${key}:${s.silence.comment}`));
    a.subscribe((key) => seen.push(`echo of ${key}`));
    await a.put(silence('s1', T0, 'first'));
    await until(() => seen.length === 1, 'the silence to reach b');
    expect(seen).toEqual(['s1:first']);
    const c = silences(await replica());
    expect([...(await c.load()).values()].map((s) => s.silence.comment)).toEqual(['first']);
  });

  it('never lets an older version replace a newer one, and keeps a record updated since it was collected', async () => {
    const replica = cluster();
    const a = silences(await replica());
    await a.put(silence('s1', T0 + 10n, 'newer'));
    await a.put(silence('s1', T0 + 5n, 'older'));
    await a.delete([silence('s1', T0 + 9n)]);
    expect([...(await silences(await replica()).load()).values()].map((s) => s.silence.comment)).toEqual(['newer']);
    await a.delete([silence('s1', T0 + 10n)]);
    expect((await silences(await replica()).load()).size).toBe(0);
  });

  it('reads everything again when it missed changes (a gap in the change stream)', async () => {
    const replica = cluster();
    const a = silences(await replica());
    const bState = await replica();
    const b = silences(bState);
    const seen: string[] = [];
    b.subscribe((key) => seen.push(key));
    await a.put(silence('s1', T0));
    await until(() => seen.length === 1, 'the first record');
    // Another writer's entries were trimmed away: the next entry b reads skips sequence numbers.
    const raw = new Redis(redis.url);
    const prefix = (bState as unknown as { o: { keyPrefix: string } }).o.keyPrefix;
    await raw.hset(`${prefix}silences`, 's2', Buffer.concat([Buffer.from(String(T0).padStart(20, '0')), silenceCodec.encode(silence('s2', T0))]));
    const rev = await raw.incrby(`${prefix}rev`, 5);
    await raw.xadd(`${prefix}changes`, '*', 'rev', String(rev), 'origin', 'gone', 'kind', 'silences', 'key', 'nothing', 'value', '');
    raw.disconnect();
    await until(() => seen.includes('s2'), 'the resync to hand over s2');
    expect(seen).toContain('s1');
  });

  it('grants one claim among replicas deciding at once; the others see it held, then not due', async () => {
    const replica = cluster();
    const logs = [nflog(await replica()), nflog(await replica()), nflog(await replica())];
    const key = 'g:team/webhook/0';
    const due = (current: StoredEntry | undefined) => current === undefined;
    const results = await Promise.all(logs.map((l) => l.claim(key, due)));
    const granted = results.filter((r) => r.status === 'granted');
    expect(granted).toHaveLength(1);
    expect(results.filter((r) => r.status === 'held')).toHaveLength(2);
    expect(await granted[0]!.claim.commit(entry('g', T0))).toBe(true);
    expect((await Promise.all(logs.map((l) => l.claim(key, due)))).map((r) => r.status)).toEqual(['not-due', 'not-due', 'not-due']);
  });

  it('a released claim is free at once; a claim whose holder stopped lapses after its TTL and is taken over', async () => {
    const replica = cluster();
    const holderState = await replica(300);
    const [holder, other] = [nflog(holderState), nflog(await replica(300))];
    const always = () => true;
    const first = await holder.claim('k', always);
    if (first.status !== 'granted') throw new Error('expected the claim');
    await first.claim.release();
    const second = await other.claim('k', always);
    expect(second.status).toBe('granted');
    if (second.status === 'granted') await second.claim.release();
    const third = await holder.claim('k', always);
    expect(third.status).toBe('granted');
    // The holder stops renewing (its process is gone): the claim stays taken until its TTL passes.
    await holderState.close();
    expect((await other.claim('k', always)).status).toBe('held');
    await new Promise((r) => setTimeout(r, 400));
    expect((await other.claim('k', always)).status).toBe('granted');
  });

  it('renews a claim while it is held, and tells its holder when it was lost', async () => {
    const replica = cluster();
    const [holder, other] = [nflog(await replica(300)), nflog(await replica(300))];
    const key = 'g:team/webhook/0';
    const result = await holder.claim(key, () => true);
    if (result.status !== 'granted') throw new Error('expected the claim');
    await new Promise((r) => setTimeout(r, 700));
    expect(result.claim.lost.aborted).toBe(false);
    expect((await other.claim(key, () => true)).status).toBe('held');
    const raw = new Redis(redis.url);
    await raw.del(`t${prefixes}:claim:${key}`);
    raw.disconnect();
    await until(() => result.claim.lost.aborted, 'the holder to notice');
    const taken = await other.claim(key, () => true);
    expect(taken.status).toBe('granted');
    // The late holder's log entry is still written (the notification went out), but it reports the loss.
    expect(await result.claim.commit(entry('g', T0))).toBe(false);
    expect([...(await nflog(await replica()).load()).keys()]).toEqual([key]);
  });

  it('shares alerts: merged by the upstream rule, and collected from Redis once resolved', async () => {
    const replica = cluster();
    const [aState, bState] = [await replica(), await replica()];
    const now = () => T0 + 10n * S;
    const a = new RedisAlertProvider(aState, now, silentLogger());
    const b = new RedisAlertProvider(bState, now, silentLogger());
    const seen: string[] = [];
    b.subscribe((x) => seen.push(`${x.labels.get('alertname')}@${x.updatedAt - T0}`));
    await a.put([alert('Lag', T0 + 5n)]);
    await until(() => seen.length === 1, 'the alert to reach b');
    expect(b.get(alert('Lag', 0n).fingerprint)?.updatedAt).toBe(T0 + 5n);
    await b.put([alert('Lag', T0 + 7n)]);
    await until(() => a.get(alert('Lag', 0n).fingerprint)?.updatedAt === T0 + 7n, 'the newer update to reach a');
    const resolved = alert('Lag', T0 + 8n, T0 + 9n);
    await a.put([resolved]);
    await until(() => b.get(resolved.fingerprint)?.endsAt === T0 + 9n, 'the resolution to reach b');
    expect(new RedisAlertProvider(await replica(), now, silentLogger()).list().map((x) => x.endsAt)).toEqual([T0 + 9n]);
    expect((await a.gc(now())).map((x) => x.updatedAt)).toEqual([T0 + 8n]);
    expect(new RedisAlertProvider(await replica(), now, silentLogger()).list()).toEqual([]);
  });

  it('keeps the groups timers, replaced by each save', async () => {
    const replica = cluster();
    const timers = new RedisGroupTimerStore(await replica(), silentLogger());
    await timers.save(new Map([['r\u0000g1', { hasFlushed: true, nextFlushAt: 1000 }], ['r\u0000g2', { hasFlushed: false, nextFlushAt: 2000 }]]));
    await timers.save(new Map([['r\u0000g1', { hasFlushed: true, nextFlushAt: 3000 }]]));
    expect(await new RedisGroupTimerStore(await replica(), silentLogger()).load()).toEqual(new Map([['r\u0000g1', { hasFlushed: true, nextFlushAt: 3000 }]]));
  });

  it('refuses to open with a clear error when Redis cannot be reached', async () => {
    await expect(RedisState.open({ url: 'redis://127.0.0.1:1' })).rejects.toThrow(/cannot connect to Redis at redis:\/\/127\.0\.0\.1:1/);
  });
});
