import { freePort, peer, startProcess } from '@pyrometer/testkit';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore, type RedisStoreOptions } from './redis-store.js';
import { fam } from './testing/families.js';

const redisServer = peer('redis-server', 'redis-server');
const T = 1_700_000_000_000;

describe.skipIf(redisServer.path === undefined)(`RedisStore (real redis-server) ${redisServer.missingReason ?? ''}`, () => {
  let url = '';
  let stopRedis: () => Promise<void> = async () => undefined;
  let prefixCounter = 0;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pyrometer-redis-'));
    const port = await freePort();
    const proc = await startProcess(redisServer.path!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]);
    stopRedis = async () => {
      await proc.stop();
      rmSync(dir, { recursive: true, force: true });
    };
    url = `redis://127.0.0.1:${port}`;
    await waitForRedis(url);
  });
  afterAll(() => stopRedis());

  const open = (prefix: string, extra: Partial<RedisStoreOptions> = {}) => RedisStore.open({ url, keyPrefix: prefix, ...extra });
  const fresh = () => `test${++prefixCounter}:`;

  it('shares groups between replicas and survives a replica restart', async () => {
    const prefix = fresh();
    const a = await open(prefix);
    const b = await open(prefix);
    await a.write({ op: 'put', labels: { job: 'j' }, families: [fam('m', 'gauge', [{ value: 1 }])], timeMs: T, check: true });
    expect((await b.groups()).map((g) => g.labels)).toEqual([{ job: 'j' }]);
    await b.write({ op: 'post', labels: { job: 'j' }, families: [fam('n', 'gauge', [{ value: 2 }])], timeMs: T, check: true });
    expect((await a.gather()).map((f) => f.name)).toEqual(['m', 'n', 'push_failure_time_seconds', 'push_time_seconds']);
    await a.close();
    const a2 = await open(prefix);
    expect(await a2.gather()).toEqual(await b.gather());
    await b.write({ op: 'delete', labels: { job: 'j' } });
    expect(await a2.groups()).toEqual([]);
    await Promise.all([a2.close(), b.close()]);
  });

  it('checks consistency against groups pushed through other replicas', async () => {
    const prefix = fresh();
    const a = await open(prefix);
    const b = await open(prefix);
    await a.write({ op: 'put', labels: { job: 'a' }, families: [fam('m', 'gauge', [{ value: 1 }])], timeMs: T, check: true });
    const result = await b.write({ op: 'put', labels: { job: 'b' }, families: [fam('m', 'counter', [{ value: 1 }])], timeMs: T, check: true });
    expect(result.error).toContain('is not a GAUGE');
    expect((await a.groups()).find((g) => g.labels['job'] === 'b')?.pushFailureTimeSeconds).toBe(T / 1000);
    await Promise.all([a.close(), b.close()]);
  });

  it('applies concurrent writes from several replicas without losing any', async () => {
    const prefix = fresh();
    const replicas = await Promise.all([open(prefix), open(prefix), open(prefix)]);
    await Promise.all(
      replicas.flatMap((r, i) =>
        Array.from({ length: 20 }, (_, n) => r.write({ op: 'put', labels: { job: `r${i}`, n: String(n) }, families: [fam('m', 'gauge', [{ value: n }])], timeMs: T, check: true })),
      ),
    );
    for (const r of replicas) expect(await r.groups()).toHaveLength(60);
    await Promise.all(replicas.map((r) => r.close()));
  });

  it('reloads everything when the change log was trimmed past it', async () => {
    const prefix = fresh();
    const behind = await open(prefix, { changeLogLength: 1 });
    const busy = await open(prefix, { changeLogLength: 1 });
    for (let n = 0; n < 300; n++) await busy.write({ op: 'put', labels: { job: 'j', n: String(n) }, families: [fam('m', 'gauge', [{ value: n }])], timeMs: T, check: true });
    await busy.write({ op: 'delete', labels: { job: 'j', n: '0' } });
    expect(await behind.groups()).toHaveLength(299);
    await Promise.all([behind.close(), busy.close()]);
  });

  it('refuses to open when Redis is unreachable, naming the URL', async () => {
    const port = await freePort();
    await expect(RedisStore.open({ url: `redis://127.0.0.1:${port}`, keyPrefix: 'x:' })).rejects.toThrow(`cannot connect to Redis at redis://127.0.0.1:${port}`);
  });
});

async function waitForRedis(url: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`redis-server at ${url} did not come up: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      probe.disconnect();
    }
  }
}
