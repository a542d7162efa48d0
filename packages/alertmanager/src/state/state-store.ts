/**
 * Where a replicated piece of state (silences, notification log entries) lives between restarts
 * and, later, between replicas. The owner (`Silences`, `NotificationLog`) keeps the working copy
 * in memory and applies upstream's rules; the store only persists records by key.
 *
 * Contract: `load` is called once, before any `put`. `put` and `delete` calls arrive in order and
 * each resolves once the change is durable (a file store may group changes into one snapshot
 * write; the promise then resolves after that write). `subscribe` delivers records that other
 * replicas wrote; the owner merges them by its own rules (newest update wins) and never writes
 * them back. `close` waits for pending writes.
 */
export interface StateStore<T> {
  load(): Promise<Map<string, T>>;
  put(key: string, value: T): Promise<void>;
  delete(keys: readonly string[]): Promise<void>;
  subscribe(listener: (key: string, value: T) => void): () => void;
  close(): Promise<void>;
}

/** How a file store writes its records: one snapshot of every record, and back. */
export interface SnapshotCodec<T> {
  encode(records: Iterable<T>): Uint8Array;
  /** Throws when the bytes are not a snapshot of this kind. */
  decode(bytes: Uint8Array): T[];
  key(record: T): string;
}
