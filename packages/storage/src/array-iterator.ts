import { FloatHistogram, Histogram } from '@pyrometer/model';
import { lowerBound } from './sorted-search.js';
import { notAHistogram, ValueType, type SampleIterator } from './iterator.js';

/** What a histogram sample of an {@link ArraySampleIterator} holds: either kind of native histogram. */
export type StoredHistogram = Histogram | FloatHistogram;

/**
 * A {@link SampleIterator} over parallel arrays of samples sorted by strictly increasing timestamp:
 * `ts` (ms), `vs` (float values) and optionally `stale` (1 where the sample is a staleness marker)
 * and `hs` (the histogram where the sample is one; its `vs` entry is then ignored). It walks
 * indices [start, end) and never copies or mutates the arrays (histograms are copied on the way
 * out); the caller must not change them while the iterator is in use.
 */
export class ArraySampleIterator implements SampleIterator {
  /** The current index into the arrays. */
  protected i: number;

  constructor(
    private readonly ts: ArrayLike<number>,
    private readonly vs: ArrayLike<number>,
    private readonly stale: ArrayLike<number> | undefined = undefined,
    private readonly start = 0,
    private readonly end = ts.length,
    private readonly hs: ArrayLike<StoredHistogram | undefined> | undefined = undefined,
  ) {
    this.i = start - 1;
  }

  next(): ValueType {
    if (this.i >= this.end) return ValueType.None;
    this.i++;
    return this.i < this.end ? this.valueType() : ValueType.None;
  }

  seek(t: number): ValueType {
    if (this.i >= this.end) return ValueType.None;
    if (this.i >= this.start && this.ts[this.i]! >= t) return this.valueType();
    // The first index ≥ max(i, start) with ts ≥ t.
    this.i = lowerBound(this.ts, t, Math.max(this.i, this.start), this.end);
    return this.i < this.end ? this.valueType() : ValueType.None;
  }

  private valueType(): ValueType {
    if (this.hs === undefined) return ValueType.Float;
    const h = this.hs[this.i];
    if (h === undefined) return ValueType.Float;
    return h instanceof FloatHistogram ? ValueType.FloatHistogram : ValueType.Histogram;
  }

  atT(): number {
    return this.ts[this.i]!;
  }

  atF(): number {
    return this.vs[this.i]!;
  }

  atStale(): boolean {
    return this.stale !== undefined && this.stale[this.i] === 1;
  }

  atHistogram(): Histogram {
    const h = this.hs?.[this.i];
    if (!(h instanceof Histogram)) return notAHistogram();
    return h.copy();
  }

  atFloatHistogram(): FloatHistogram {
    const h = this.hs?.[this.i];
    if (h === undefined) return notAHistogram();
    return h instanceof Histogram ? h.toFloat() : h.copy();
  }
}
