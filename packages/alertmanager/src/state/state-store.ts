/**
 * Where a replicated piece of state (silences, notification log entries) lives between restarts
 * and between replicas. The owner (`Silences`, `NotificationLog`) keeps the working copy in memory
 * and applies upstream's rules; the store persists records (identified by its codec's key).
 *
 * Contract: `load` is called once, before any other call. `put` and `delete` calls arrive in
 * order and each resolves once the change is durable (a file store may group changes into one
 * snapshot write; the promise then resolves after that write). A shared store never lets an
 * older version of a record replace a newer one, and `delete` keeps a record that another
 * replica updated after the owner's copy. `subscribe` delivers records that other replicas wrote
 * (never this owner's own writes); the owner merges them by its own rules (newest update wins)
 * and never writes them back. `close` waits for pending writes.
 */
export interface StateStore<T> {
  load(): Promise<Map<string, T>>;
  put(record: T): Promise<void>;
  /** Deletes records the owner collected (expired ones), as the owner last saw them. */
  delete(records: readonly T[]): Promise<void>;
  subscribe(listener: (key: string, record: T) => void): () => void;
  close(): Promise<void>;
  /**
   * Present in stores shared by replicas: reads the current record of `key` from the shared
   * backend and, when `due` says it calls for action and no other replica holds the claim on
   * it, takes that claim — atomically with respect to every other replica's `claim` and
   * `commit`. The notification log uses it so that one notification is sent once.
   */
  claim?(key: string, due: (current: T | undefined) => boolean): Promise<ClaimResult<T>>;
}

/** What {@link StateStore.claim} found: the claim, nothing to do, or another replica at it. */
export type ClaimResult<T> =
  | { readonly status: 'granted'; readonly claim: Claim<T> }
  | { readonly status: 'not-due' }
  | { readonly status: 'held'; readonly holder: string };

/**
 * The exclusive right, among replicas, to act on one record and then write it. The store keeps
 * the claim alive while its holder lives; a replica that dies holding one blocks the others for
 * at most the store's claim TTL. Exactly one of `commit` and `release` ends it.
 */
export interface Claim<T> {
  /** Aborted when the claim was lost (it lapsed, so another replica may take it); the holder should stop. */
  readonly lost: AbortSignal;
  /**
   * Writes the record (as `put` does) and releases the claim in one step. The record is written
   * even when the claim was lost (the work was done); the result says whether it was still held.
   */
  commit(record: T): Promise<boolean>;
  /** Gives the claim up without writing (the work failed); a lost claim is left alone. */
  release(): Promise<void>;
}
