import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { silentLogger, type Logger } from '@pyrometer/telemetry';
import { Redis } from 'ioredis';
import { AlertmanagerError } from '../../errors.js';
import { RedisClaims } from './claims.js';
import { DELETE, PUT } from './scripts.js';
import { recordBytes, storedValue, versionText, type VersionedRecord } from './stored-value.js';

/** The kinds of records replicas share; each is one Redis hash. */
export type RedisKind = 'silences' | 'nflog' | 'alerts';
const KINDS: readonly RedisKind[] = ['silences', 'nflog', 'alerts'];

export interface RedisStateOptions {
  /** `redis://[user:password@]host:port[/db]`. */
  url: string;
  /** Prefix of every key, so several Alertmanager clusters can share one Redis. */
  keyPrefix: string;
  /** How long a notification claim lasts unless renewed (its holder renews it every third of this), ms. */
  claimTtlMs: number;
  /** Entries kept in the change stream; a replica further behind reloads everything. */
  changeLogLength: number;
  logger: Logger;
}

export function defaultRedisStateOptions(): RedisStateOptions {
  return { url: 'redis://127.0.0.1:6379', keyPrefix: 'pyrometer:alertmanager:', claimTtlMs: 15_000, changeLogLength: 20_000, logger: silentLogger() };
}

/** Called with each record another replica wrote: its key and bytes (without the version). */
export type RecordListener = (key: string, bytes: Buffer) => void;

interface Snapshot {
  rev: number;
  lastId: string;
  records: Map<RedisKind, Map<string, Buffer>>;
}

/**
 * The state replicas share through Redis (the package README says how and why): silences, notification log
 * entries and alerts, each kind a hash of versioned records, and a change stream every write is
 * logged to with a sequence number. `open` reads everything once; a background reader then
 * follows the stream and hands each record another replica wrote to that kind's listener
 * (records arriving before the listener are kept for it). When the sequence breaks (the stream
 * was trimmed past what this replica read, or Redis was emptied), it reads everything again and
 * hands it all over.
 * Writes are Lua scripts: a record never replaces a newer version. Claims on notification log
 * entries are in {@link RedisClaims}.
 */
export class RedisState {
  /** Identifies this process among replicas (host, pid, random), in claims and the change stream. */
  readonly replicaId = `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;
  readonly claims: RedisClaims;
  private readonly listeners = new Map<RedisKind, RecordListener>();
  private readonly waiting = new Map<RedisKind, [string, Buffer][]>();
  private rev = 0;
  private lastId = '0-0';
  private closed = false;
  private following: Promise<void> = Promise.resolve();

  private constructor(
    private readonly redis: Redis,
    private readonly reader: Redis,
    private readonly o: RedisStateOptions,
    private readonly initial: Snapshot,
  ) {
    this.rev = initial.rev;
    this.lastId = initial.lastId;
    for (const kind of KINDS) this.waiting.set(kind, []);
    this.claims = new RedisClaims(redis, { ...o, replicaId: this.replicaId, key: (name) => this.key(name) }, (fn) => this.call(fn));
  }

  /** Connects, reads every record and starts following the change stream; a `state` error when Redis cannot be reached. */
  static async open(options: Partial<RedisStateOptions> = {}): Promise<RedisState> {
    const o = { ...defaultRedisStateOptions(), ...options };
    const redis = new Redis(o.url, { lazyConnect: true, maxRetriesPerRequest: 3, enableOfflineQueue: true });
    redis.on('error', (err: Error) => o.logger.warn('redis connection problem', { err: err.message }));
    try {
      await redis.connect();
    } catch (err) {
      redis.disconnect();
      throw new AlertmanagerError('state', `cannot connect to Redis at ${o.url}: ${(err as Error).message}`, { cause: err });
    }
    const reader = redis.duplicate({ lazyConnect: false });
    reader.on('error', () => undefined);
    const snapshot = await readSnapshot(redis, (name) => o.keyPrefix + name).catch((err: unknown) => {
      redis.disconnect();
      reader.disconnect();
      throw new AlertmanagerError('state', `reading the state from Redis at ${o.url}: ${(err as Error).message}`, { cause: err });
    });
    const state = new RedisState(redis, reader, o, snapshot);
    state.following = state.follow();
    return state;
  }

  /** The records of a kind as they were when the state was opened: key → bytes. */
  loaded(kind: RedisKind): Map<string, Buffer> {
    return this.initial.records.get(kind)!;
  }

  /** Sets the one listener of a kind; records that arrived since `open` are delivered to it first. */
  listen(kind: RedisKind, listener: RecordListener): () => void {
    this.listeners.set(kind, listener);
    for (const [key, bytes] of this.waiting.get(kind)!.splice(0)) listener(key, bytes);
    return () => void this.listeners.delete(kind);
  }

  /** Writes records (each only if no newer version is stored) in one step; resolves when Redis has them. */
  async put(kind: RedisKind, records: readonly VersionedRecord[]): Promise<void> {
    if (records.length === 0) return;
    const args: (string | Buffer)[] = [this.replicaId, kind, String(this.o.changeLogLength)];
    for (const r of records) args.push(r.key, storedValue(r));
    await this.call(() => this.redis.eval(PUT, 3, this.key(kind), this.key('rev'), this.key('changes'), ...args));
  }

  /** Deletes records unless another replica stored a newer version since `version`. */
  async delete(kind: RedisKind, records: readonly { key: string; version: bigint }[]): Promise<void> {
    if (records.length === 0) return;
    await this.call(() => this.redis.eval(DELETE, 1, this.key(kind), ...records.flatMap((r) => [r.key, versionText(r.version)])));
  }

  /** Reads a small JSON document (e.g. the group timers) kept beside the records. */
  async readHash(name: string): Promise<Record<string, string>> {
    return this.call(() => this.redis.hgetall(this.key(name)));
  }

  /** Replaces a hash kept beside the records with `fields`. */
  async replaceHash(name: string, fields: ReadonlyMap<string, string>): Promise<void> {
    const tx = this.redis.multi().del(this.key(name));
    if (fields.size > 0) tx.hset(this.key(name), Object.fromEntries(fields));
    await this.call(() => tx.exec());
  }

  /** Stops following the stream and disconnects; claims still held lapse after their TTL. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.claims.stop();
    this.reader.disconnect();
    await this.following;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(name: string): string {
    return this.o.keyPrefix + name;
  }

  private async follow(): Promise<void> {
    while (!this.closed) {
      let batch: [Buffer, Buffer[]][];
      try {
        const res = await this.reader.xreadBuffer('COUNT', 1000, 'BLOCK', 2000, 'STREAMS', this.key('changes'), this.lastId);
        batch = res?.[0]?.[1] ?? [];
      } catch (err) {
        if (this.closed) return;
        this.o.logger.warn('following the Redis change stream failed; retrying', { err: (err as Error).message });
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      try {
        await this.apply(batch);
      } catch (err) {
        this.o.logger.error('applying changes from Redis failed; reading everything again', { err: (err as Error).message });
        await this.resync().catch(() => undefined);
      }
    }
  }

  private async apply(batch: [Buffer, Buffer[]][]): Promise<void> {
    for (const [id, fields] of batch) {
      const f = streamFields(fields);
      // Every entry after the last one read carries the next sequence number; anything else
      // means entries were trimmed unread, or Redis lost its data and counts from 1 again.
      const rev = Number(f.get('rev')?.toString());
      if (rev !== this.rev + 1) return this.resync();
      this.rev = rev;
      this.lastId = id.toString();
      if (f.get('origin')?.toString() === this.replicaId) continue;
      const kind = f.get('kind')?.toString() as RedisKind;
      const value = f.get('value');
      if (!KINDS.includes(kind) || value === undefined) continue;
      this.deliver(kind, f.get('key')!.toString(), recordBytes(value));
    }
  }

  /** Reads everything again after a gap and hands every record over (the owners merge by version). */
  private async resync(): Promise<void> {
    const snapshot = await readSnapshot(this.redis, (name) => this.key(name));
    this.rev = snapshot.rev;
    this.lastId = snapshot.lastId;
    this.o.logger.info('read the whole state from Redis after missing changes', { rev: this.rev });
    for (const [kind, records] of snapshot.records) for (const [key, bytes] of records) this.deliver(kind, key, bytes);
  }

  private deliver(kind: RedisKind, key: string, bytes: Buffer): void {
    const listener = this.listeners.get(kind);
    if (listener === undefined) this.waiting.get(kind)!.push([key, bytes]);
    else listener(key, bytes);
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new AlertmanagerError('state', `Redis request failed: ${(err as Error).message}`, { cause: err });
    }
  }
}

function streamFields(fields: Buffer[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (let i = 0; i + 1 < fields.length; i += 2) out.set(fields[i]!.toString(), fields[i + 1]!);
  return out;
}

/** Every record, the sequence number and the stream position they reflect, read atomically. */
async function readSnapshot(redis: Redis, key: (name: string) => string): Promise<Snapshot> {
  const tx = redis.multi().get(key('rev')).xrevrange(key('changes'), '+', '-', 'COUNT', 1);
  for (const kind of KINDS) tx.hgetallBuffer(key(kind));
  const results = await tx.exec();
  if (results === null) throw new Error('the transaction was aborted');
  const failed = results.find(([err]) => err !== null);
  if (failed !== undefined) throw failed[0]!;
  const [rev, last, ...hashes] = results.map(([, v]) => v) as [string | null, [string, string[]][], ...Record<string, Buffer>[]];
  const records = new Map<RedisKind, Map<string, Buffer>>();
  KINDS.forEach((kind, i) => records.set(kind, new Map(Object.entries(hashes[i]!).map(([k, v]) => [k, recordBytes(v)]))));
  return { rev: Number(rev ?? 0), lastId: last[0]?.[0] ?? '0-0', records };
}
