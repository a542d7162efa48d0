import type { Logger } from '@pyrometer/telemetry';
import type { Redis } from 'ioredis';
import { AlertmanagerError } from '../../errors.js';
import type { ClaimResult } from '../state-store.js';
import { CLAIM, COMMIT, RELEASE, RENEW } from './scripts.js';
import { recordBytes, storedValue, type VersionedRecord } from './stored-value.js';

export interface RedisClaimsOptions {
  claimTtlMs: number;
  changeLogLength: number;
  replicaId: string;
  logger: Logger;
  /** The full Redis key of a name (with the prefix). */
  key: (name: string) => string;
}

/** How many times a claim is attempted while the record keeps changing under it. */
const MAX_ATTEMPTS = 20;

/**
 * Claims on records of one hash (the notification log): the decision is made on the record as
 * Redis has it, and the claim is taken only if that record is still the same and nobody holds
 * it (one Lua script), so of several replicas deciding at once exactly one gets it. A claim is a
 * Redis key with a TTL; its holder renews it every third of the TTL until it commits (writes the
 * record and deletes the claim in one script) or releases it.
 */
export class RedisClaims {
  private readonly held = new Set<HeldClaim>();
  private seq = 0;

  constructor(
    private readonly redis: Redis,
    private readonly o: RedisClaimsOptions,
    private readonly call: <T>(fn: () => Promise<T>) => Promise<T>,
  ) {}

  async claim(kind: string, key: string, due: (bytes: Buffer | undefined) => boolean): Promise<ClaimResult<VersionedRecord>> {
    const claimKey = this.o.key(`claim:${key}`);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const [current, holder] = await this.read(kind, key, claimKey);
      if (holder !== null) return { status: 'held', holder: holder.replace(/#\d+$/, '') };
      if (!due(current === null ? undefined : recordBytes(current))) return { status: 'not-due' };
      const token = `${this.o.replicaId}#${++this.seq}`;
      const taken = await this.call(() => this.redis.eval(CLAIM, 2, this.o.key(kind), claimKey, key, current ?? '', token, String(this.o.claimTtlMs)));
      if (taken === 1) {
        const claim = new HeldClaim(this.redis, this.o, { kind, key, claimKey, token }, this.call, (c) => this.held.delete(c));
        this.held.add(claim);
        return { status: 'granted', claim };
      }
    }
    throw new AlertmanagerError('state', `claiming ${key}: the entry kept changing under ${MAX_ATTEMPTS} attempts`);
  }

  /** Stops renewing every claim (the state is closing); they lapse after their TTL. */
  stop(): void {
    for (const c of this.held) c.end();
  }

  private async read(kind: string, key: string, claimKey: string): Promise<[Buffer | null, string | null]> {
    const results = await this.call(() => this.redis.multi().hgetBuffer(this.o.key(kind), key).get(claimKey).exec());
    const failed = results?.find(([err]) => err !== null);
    if (results === null || results === undefined || failed !== undefined) throw new AlertmanagerError('state', `reading ${key} from Redis failed: ${(failed?.[0] as Error | undefined)?.message ?? 'aborted'}`);
    return [results[0]![1] as Buffer | null, results[1]![1] as string | null];
  }
}

interface ClaimTarget {
  kind: string;
  key: string;
  claimKey: string;
  token: string;
}

/** One claim this replica holds, renewed until it ends. */
class HeldClaim {
  private readonly lostController = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private lastRenewed = Date.now();
  private ended = false;

  constructor(
    private readonly redis: Redis,
    private readonly o: RedisClaimsOptions,
    private readonly t: ClaimTarget,
    private readonly call: <T>(fn: () => Promise<T>) => Promise<T>,
    private readonly onEnd: (c: HeldClaim) => void,
  ) {
    this.timer = setInterval(() => void this.renew(), Math.max(1, Math.floor(o.claimTtlMs / 3)));
    this.timer.unref();
  }

  get lost(): AbortSignal {
    return this.lostController.signal;
  }

  async commit(record: VersionedRecord): Promise<boolean> {
    this.end();
    const { kind, key, claimKey, token } = this.t;
    const o = this.o;
    const held = await this.call(() => this.redis.eval(COMMIT, 4, o.key(kind), o.key('rev'), o.key('changes'), claimKey, o.replicaId, kind, String(o.changeLogLength), key, storedValue(record), token));
    return held === 1;
  }

  async release(): Promise<void> {
    this.end();
    try {
      await this.call(() => this.redis.eval(RELEASE, 1, this.t.claimKey, this.t.token));
    } catch (err) {
      this.o.logger.warn('releasing a notification claim failed; it lapses after its TTL', { key: this.t.key, err: (err as Error).message });
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.timer);
    this.onEnd(this);
  }

  private async renew(): Promise<void> {
    try {
      const held = await this.redis.eval(RENEW, 1, this.t.claimKey, this.t.token, String(this.o.claimTtlMs));
      if (this.ended) return;
      if (held === 1) this.lastRenewed = Date.now();
      else this.lose('the claim lapsed; another replica may have taken it');
    } catch (err) {
      if (!this.ended && Date.now() - this.lastRenewed >= this.o.claimTtlMs) this.lose(`the claim could not be renewed for ${this.o.claimTtlMs} ms: ${(err as Error).message}`);
    }
  }

  private lose(why: string): void {
    this.end();
    this.o.logger.warn('lost a notification claim', { key: this.t.key, why });
    this.lostController.abort(new AlertmanagerError('claimed', why));
  }
}
