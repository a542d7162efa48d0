import type { FloatHistogram, Histogram, Labels } from '@pyrometer/model';

/**
 * A storage-assigned handle for a series, returned by {@link Appender.append} and valid for the
 * lifetime of the storage (it survives commits, not restarts). `0` means "not known yet".
 */
export type SeriesRef = number;

/**
 * A batch of samples being written. `append` is synchronous and only buffers (validation against
 * the series' newest sample happens here, so rejections are immediate); nothing becomes visible to
 * queriers until `commit` resolves, and then the whole batch becomes visible at once. After
 * `commit` or `rollback` the appender must not be used again. An appender is used by one caller
 * at a time; open several for concurrent writers.
 */
export interface Appender {
  /**
   * Buffers one float sample. Pass the ref from an earlier append of the same series (or 0 with the
   * series' labels; labels are ignored when the ref is known). `t` is in milliseconds since the Unix
   * epoch. `stale` writes Prometheus's staleness marker instead of `value` (the marker is carried
   * explicitly, never as NaN bits, see `@pyrometer/model` staleness helpers).
   * Returns the series ref. Throws the shared {@link StorageError} instances (`ErrOutOfOrderSample`,
   * `ErrOutOfBounds`, `ErrDuplicateSampleForTimestamp`, `ErrTooOldSample`) for rejected samples;
   * a rejected sample leaves the rest of the batch intact.
   */
  append(ref: SeriesRef, labels: Labels, t: number, value: number, stale?: boolean): SeriesRef;
  /**
   * Buffers one native histogram sample, with integer (`Histogram`) or float (`FloatHistogram`)
   * counts, under the same rules as `append`. The histogram is validated first (an invalid one is
   * a `StorageError` with code `invalid_sample` naming the problem); from then on the storage owns
   * it and the caller must not change it. A staleness marker is written with `append(…, stale)`,
   * whatever kind of samples the series holds.
   */
  appendHistogram(ref: SeriesRef, labels: Labels, t: number, h: Histogram | FloatHistogram): SeriesRef;
  /** Makes the batch durable (WAL, where the storage has one) and then visible. */
  commit(): Promise<void>;
  /** Discards the batch; nothing of it is ever visible. */
  rollback(): Promise<void>;
}

/** Something samples can be written to. */
export interface Appendable {
  /** A new, empty batch. */
  appender(): Appender;
}
