import type { MetricFamily } from '@pyrometer/exposition';
import type { Matcher } from '@pyrometer/model';
import type { GroupingLabels } from './grouping-key.js';

/** A family as a group holds it, with the time (ms since the epoch) of the write that last set it. */
export interface StoredFamily {
  readonly family: MetricFamily;
  readonly timestampMs: number;
}

/**
 * One group as readers see it. The families map includes `push_time_seconds` and
 * `push_failure_time_seconds`. Snapshots are immutable: a later write replaces the group object
 * instead of changing it, so readers may keep one as long as they like.
 */
export interface GroupSnapshot {
  readonly key: string;
  readonly labels: GroupingLabels;
  readonly families: ReadonlyMap<string, StoredFamily>;
  /** Seconds since the epoch of the last successful push (0 when none succeeded yet). */
  readonly pushTimeSeconds: number;
  /** Seconds since the epoch of the last failed push (0 when none failed). */
  readonly pushFailureTimeSeconds: number;
}

/**
 * A change to the store. `put` replaces the whole group, `post` only the families it names; both
 * are checked for consistency unless `check` is false (timestamps are always rejected, as
 * upstream does). `timeMs` is the arrival time, used for `push_time_seconds`.
 */
export type WriteRequest =
  | { readonly op: 'put' | 'post'; readonly labels: GroupingLabels; readonly families: readonly MetricFamily[]; readonly timeMs: number; readonly check: boolean }
  | { readonly op: 'delete'; readonly labels: GroupingLabels }
  /** Deletes every group whose grouping labels match all matchers (beyond upstream). */
  | { readonly op: 'delete_matching'; readonly matchers: readonly Matcher[] }
  | { readonly op: 'wipe' }
  /** Deletes every group whose last successful push is older than `beforeMs` (beyond upstream). */
  | { readonly op: 'expire'; readonly beforeMs: number };

/**
 * The outcome of a write. `error` is set when a push was rejected (upstream's detail text, without
 * the `pushed metrics are invalid…` prefix); `deleted` counts the groups a delete removed.
 */
export interface WriteResult {
  readonly error?: string;
  readonly deleted: number;
}

/**
 * Where the Pushgateway keeps its groups (the seam between the HTTP API and the state): an
 * in-memory store with an optional persistence file, or a Redis store shared by replicas.
 *
 * Writes apply one at a time in the order `write` was called, each seeing the effect of the one
 * before (PUT, POST and DELETE from the same client land in order). A write costs in proportion to
 * the group it touches, not to the whole store. Reads see every write whose promise resolved.
 */
export interface MetricStore {
  write(request: WriteRequest): Promise<WriteResult>;
  /** Every group, ordered by grouping key. */
  groups(): Promise<GroupSnapshot[]>;
  /**
   * All groups merged for `/metrics`: one family per name (metrics of every group concatenated,
   * help from the last group seen), families sorted by name, metrics sorted as client_golang does.
   * The result is shared and must not be modified.
   */
  gather(): Promise<MetricFamily[]>;
  /** Whether the store can take writes (false when its queue is full or its backend is down). */
  healthy(): boolean;
  /** Flushes pending state (the persistence file) and stops background work. Idempotent. */
  close(): Promise<void>;
}
