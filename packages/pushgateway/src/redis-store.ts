import type { MetricFamily } from '@pyrometer/exposition';
import { silentLogger, type Logger } from '@pyrometer/telemetry';
import { Redis } from 'ioredis';
import { PushgatewayError } from './errors.js';
import { decodeGroup, encodeGroup, type JsonGroup } from './internal/group-codec.js';
import { GroupState } from './internal/group-state.js';
import { SerialQueue } from './internal/serial-queue.js';
import { applyPlan, planWrite } from './internal/write-plan.js';
import type { GroupSnapshot, MetricStore, WriteRequest, WriteResult } from './store.js';

/** Options of {@link RedisStore.open}. */
export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]`. */
  url: string;
  /** Prefix of every key the store uses, so several gateways can share one Redis. */
  keyPrefix: string;
  ownFamilies: () => MetricFamily[];
  /** Entries kept in the change stream; a replica further behind reloads everything. */
  changeLogLength: number;
  /** Attempts of one write when other replicas keep winning the optimistic transaction. */
  maxWriteAttempts: number;
  queueCapacity: number;
  logger: Logger;
}

export function defaultRedisStoreOptions(): RedisStoreOptions {
  return { url: 'redis://127.0.0.1:6379', keyPrefix: 'pyrometer:pushgateway:', ownFamilies: () => [], changeLogLength: 10_000, maxWriteAttempts: 50, queueCapacity: 1000, logger: silentLogger() };
}

/**
 * A {@link MetricStore} in Redis, shared by any number of replicas (docs/state-format.md): every
 * group is one hash field, and every write bumps a revision counter and appends the changed
 * group keys to a stream. Each replica keeps a local copy with the same indexes as the memory
 * store and catches up from the stream before each read or write, so a push costs in proportion
 * to the pushed group plus what other replicas changed meanwhile. Writes are optimistic
 * transactions (WATCH on the revision): the consistency check always runs against the latest
 * state of all replicas, and a replica can die at any moment without losing an acknowledged push.
 */
export class RedisStore implements MetricStore {
  private readonly queue = new SerialQueue();
  private readonly state: GroupState;
  private rev = 0;
  private lastId = '0-0';
  private closed = false;

  private constructor(
    private readonly redis: Redis,
    private readonly options: RedisStoreOptions,
  ) {
    this.state = new GroupState(options.ownFamilies);
  }

  /** Connects and loads every group; throws a `redis` error when Redis cannot be reached. */
  static async open(options: Partial<RedisStoreOptions> = {}): Promise<RedisStore> {
    const full = { ...defaultRedisStoreOptions(), ...options };
    const redis = new Redis(full.url, { lazyConnect: true, maxRetriesPerRequest: 3, enableOfflineQueue: true });
    redis.on('error', (err: Error) => full.logger.warn('redis connection problem', { err: err.message }));
    try {
      await redis.connect();
    } catch (err) {
      redis.disconnect();
      throw new PushgatewayError('redis', `cannot connect to Redis at ${full.url}: ${(err as Error).message}`, { cause: err });
    }
    const store = new RedisStore(redis, full);
    await store.queue.run(() => store.reload());
    return store;
  }

  write(request: WriteRequest): Promise<WriteResult> {
    if (this.closed) return Promise.reject(new PushgatewayError('closed', 'the metric store is closed'));
    return this.queue.run(() => this.writeNow(request));
  }

  groups(): Promise<GroupSnapshot[]> {
    return this.queue.run(async () => {
      await this.catchUp();
      return this.state.all();
    });
  }

  gather(): Promise<MetricFamily[]> {
    return this.queue.run(async () => {
      await this.catchUp();
      return this.state.gather();
    });
  }

  healthy(): boolean {
    return !this.closed && this.redis.status === 'ready' && this.queue.pending < this.options.queueCapacity;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.run(() => undefined);
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(name: string): string {
    return this.options.keyPrefix + name;
  }

  private async writeNow(request: WriteRequest): Promise<WriteResult> {
    for (let attempt = 1; attempt <= this.options.maxWriteAttempts; attempt++) {
      await this.call(() => this.redis.watch(this.key('rev')));
      await this.catchUp();
      const plan = planWrite(this.state, request);
      if (plan.set.length === 0 && plan.deleted.length === 0) {
        await this.call(() => this.redis.unwatch());
        return plan.result;
      }
      const tx = this.redis.multi();
      for (const record of plan.set) tx.hset(this.key('groups'), record.key, JSON.stringify(encodeGroup(record)));
      if (plan.deleted.length > 0) tx.hdel(this.key('groups'), ...plan.deleted);
      tx.incr(this.key('rev'));
      const changed = [...plan.deleted, ...plan.set.map((r) => r.key)];
      tx.xadd(this.key('changes'), 'MAXLEN', '~', String(this.options.changeLogLength), '*', 'rev', String(this.rev + 1), 'keys', JSON.stringify(changed));
      const results = await this.call(() => tx.exec());
      if (results === null) continue; // another replica wrote first: catch up and re-plan
      const failed = results.find(([err]) => err !== null);
      if (failed !== undefined) throw new PushgatewayError('redis', `Redis transaction failed: ${(failed[0] as Error).message}`, { cause: failed[0] });
      applyPlan(this.state, plan);
      this.rev++;
      this.lastId = results[results.length - 1]![1] as string;
      return plan.result;
    }
    throw new PushgatewayError('redis', `write abandoned after ${this.options.maxWriteAttempts} attempts: other replicas kept changing the store`);
  }

  /** Applies the changes other replicas made since the last look; reloads when too far behind. */
  private async catchUp(): Promise<void> {
    const entries = await this.call(() => this.redis.xrange(this.key('changes'), `(${this.lastId}`, '+'));
    if (entries.length === 0) return;
    const keys = new Set<string>();
    let rev = this.rev;
    for (const [id, fields] of entries) {
      const entryRev = Number(field(fields, 'rev'));
      if (entryRev <= rev) continue;
      if (entryRev !== rev + 1) return this.reload();
      for (const key of JSON.parse(field(fields, 'keys')) as string[]) keys.add(key);
      rev = entryRev;
      this.lastId = id;
    }
    if (keys.size > 0) {
      const list = [...keys];
      const values = await this.call(() => this.redis.hmget(this.key('groups'), ...list));
      list.forEach((key, i) => {
        const json = values[i];
        if (json === null || json === undefined) this.state.delete(key);
        else this.state.set(decodeGroup(key, JSON.parse(json) as JsonGroup, `Redis field ${key}`));
      });
    }
    this.rev = rev;
  }

  private async reload(): Promise<void> {
    const [[, rev], [, last], [, all]] = (await this.call(() =>
      this.redis.multi().get(this.key('rev')).xrevrange(this.key('changes'), '+', '-', 'COUNT', 1).hgetall(this.key('groups')).exec(),
    ))! as [[null, string | null], [null, [string, string[]][]], [null, Record<string, string>]];
    for (const group of this.state.all()) this.state.delete(group.key);
    for (const [key, json] of Object.entries(all)) this.state.set(decodeGroup(key, JSON.parse(json) as JsonGroup, `Redis field ${key}`));
    this.rev = Number(rev ?? 0);
    this.lastId = last[0]?.[0] ?? '0-0';
    this.options.logger.debug('loaded all groups from Redis', { groups: this.state.size, rev: this.rev });
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new PushgatewayError('redis', `Redis request failed: ${(err as Error).message}`, { cause: err });
    }
  }
}

function field(fields: string[], name: string): string {
  const i = fields.indexOf(name);
  return i >= 0 && i % 2 === 0 ? fields[i + 1]! : '';
}
