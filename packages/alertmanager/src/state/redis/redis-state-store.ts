import type { Logger } from '@pyrometer/telemetry';
import type { RecordCodec } from '../mesh-snapshot.js';
import type { ClaimResult, StateStore } from '../state-store.js';
import type { RedisKind, RedisState } from './redis-state.js';

/**
 * A {@link StateStore} of one kind (silences or notification log entries) in the shared
 * {@link RedisState}, records coded as upstream's `Mesh*` messages. `claim` is supported for
 * every kind; the notification log is the one that uses it. A record another replica wrote
 * that does not decode is logged and skipped.
 */
export class RedisStateStore<T> implements StateStore<T> {
  constructor(
    private readonly state: RedisState,
    private readonly kind: RedisKind,
    private readonly codec: RecordCodec<T>,
    private readonly logger: Logger,
  ) {}

  load(): Promise<Map<string, T>> {
    const out = new Map<string, T>();
    for (const [key, bytes] of this.state.loaded(this.kind)) {
      const record = this.decode(key, bytes);
      if (record !== undefined) out.set(key, record);
    }
    return Promise.resolve(out);
  }

  put(record: T): Promise<void> {
    return this.state.put(this.kind, [this.versioned(record)]);
  }

  delete(records: readonly T[]): Promise<void> {
    return this.state.delete(this.kind, records.map((r) => ({ key: this.codec.key(r), version: this.codec.version(r) })));
  }

  subscribe(listener: (key: string, record: T) => void): () => void {
    return this.state.listen(this.kind, (key, bytes) => {
      const record = this.decode(key, bytes);
      if (record !== undefined) listener(key, record);
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  async claim(key: string, due: (current: T | undefined) => boolean): Promise<ClaimResult<T>> {
    const result = await this.state.claims.claim(this.kind, key, (bytes) => due(bytes === undefined ? undefined : this.decode(key, bytes)));
    if (result.status !== 'granted') return result;
    const { claim } = result;
    const commit = (record: T) => {
      const versioned = this.versioned(record);
      if (versioned.key !== key) throw new Error(`a claim on ${JSON.stringify(key)} cannot commit the record ${JSON.stringify(versioned.key)}`);
      return claim.commit(versioned);
    };
    return { status: 'granted', claim: { lost: claim.lost, release: () => claim.release(), commit } };
  }

  private versioned(record: T) {
    return { key: this.codec.key(record), version: this.codec.version(record), bytes: this.codec.encode(record) };
  }

  private decode(key: string, bytes: Buffer): T | undefined {
    try {
      return this.codec.decode(bytes);
    } catch (err) {
      this.logger.warn('skipping a record in Redis that does not decode', { kind: this.kind, key, err: (err as Error).message });
      return undefined;
    }
  }
}
