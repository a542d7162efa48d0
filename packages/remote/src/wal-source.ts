import type { Labels } from '@pyrometer/model';

/** A record boundary in the write-ahead log: segment index and byte offset in that segment. */
export interface WalPosition {
  segment: number;
  offset: number;
}

/**
 * Receives what a {@link WalReader} reads, in WAL order, synchronously. A ref may be defined again
 * by a later series record; the latest definition wins.
 */
export interface WalRecordHandler {
  /** `ref` names the series `labels` from now on (also for series defined before the start). */
  series(ref: number, labels: Labels): void;
  /** A committed float sample of series `ref` (ms); `stale` marks a staleness marker. */
  sample(ref: number, t: number, v: number, stale: boolean): void;
}

/** Reads committed samples from the write-ahead log, one record per {@link WalReader.next}. */
export interface WalReader {
  /** Everything before this position has been handed over; a reader opened there goes on from it. */
  readonly position: WalPosition;
  /** The segment being read, for `prometheus_wal_watcher_current_segment`. */
  readonly currentSegment: number;
  /** Hands the next complete record to the handler; false when there is none yet. */
  next(): boolean;
  close(): void;
}

/**
 * What remote_write needs from the local storage: readers of its write-ahead log and word of new
 * writes. The server adapts the TSDB to it (remote does not depend on tsdb).
 */
export interface WalSource {
  /**
   * Opens a reader handing samples from `start` on (undefined: from the current end of the WAL) to
   * `handler`. Samples whose segments were removed before they were read are skipped (and logged).
   */
  openReader(start: WalPosition | undefined, handler: WalRecordHandler): WalReader;
  /** Calls `listener` (synchronously: it should only schedule work) after each write; returns the unsubscriber. */
  onWrite(listener: () => void): () => void;
}
