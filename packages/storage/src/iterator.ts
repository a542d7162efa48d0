import type { FloatHistogram, Histogram } from '@pyrometer/model';
import { StorageError } from './errors.js';

/** What an iterator is positioned on, as returned by `next` and `seek`. */
export const ValueType = {
  /** Exhausted: no more samples. */
  None: 0,
  Float: 1,
  /** A native histogram with integer counts (`atHistogram`, or `atFloatHistogram` converted). */
  Histogram: 2,
  /** A native histogram with float counts (`atFloatHistogram`). */
  FloatHistogram: 3,
} as const;
export type ValueType = (typeof ValueType)[keyof typeof ValueType];

/**
 * Walks one series' samples in increasing timestamp order (timestamps are unique per series).
 * Synchronous and allocation-free on the float path: the data it walks is already in memory when
 * the series is handed out. Starts before the first sample; the `at…` accessors are only valid
 * after `next` or `seek` returned something other than `ValueType.None`. A series may change
 * between float and histogram samples; each `next`/`seek` says which kind the current one is.
 * A staleness marker may arrive as any value type: `atStale()` tells.
 */
export interface SampleIterator {
  /** Advances to the next sample. */
  next(): ValueType;
  /**
   * Advances to the first sample with timestamp ≥ t (never moves backwards: if the current sample
   * already satisfies that, stays). Returns `ValueType.None` when there is none.
   */
  seek(t: number): ValueType;
  /** Timestamp of the current sample, ms since the Unix epoch. */
  atT(): number;
  /** Value of the current float sample (NaN for a staleness marker). */
  atF(): number;
  /** True when the current sample is Prometheus's staleness marker. */
  atStale(): boolean;
  /**
   * The current sample when it is a `ValueType.Histogram`. Ownership passes to the caller: each
   * call returns a histogram nobody else holds, which the caller may keep and change.
   */
  atHistogram(): Histogram;
  /**
   * The current sample when it is a `ValueType.Histogram` (converted) or `ValueType.FloatHistogram`.
   * Ownership passes to the caller, as for {@link atHistogram}.
   */
  atFloatHistogram(): FloatHistogram;
  /**
   * Why the walk ended early, if it did: storage that reads lazily (blocks on disk) ends a series
   * at a chunk it cannot read and reports the error here, so the caller can warn that the series
   * is incomplete. Undefined while the walk is fine (and for in-memory iterators without it).
   */
  err?(): Error | undefined;
}

/** The error float-only iterators throw from the histogram accessors (a caller bug: it ignored the value type). */
export function notAHistogram(): never {
  throw new StorageError('internal', 'the current sample is not a histogram');
}

/** An iterator over no samples. */
export const EMPTY_ITERATOR: SampleIterator = {
  next: () => ValueType.None,
  seek: () => ValueType.None,
  atT: () => {
    throw new Error('EMPTY_ITERATOR has no current sample');
  },
  atF: () => {
    throw new Error('EMPTY_ITERATOR has no current sample');
  },
  atStale: () => false,
  atHistogram: notAHistogram,
  atFloatHistogram: notAHistogram,
};
