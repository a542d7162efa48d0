import { lowerBound } from './sorted-search.js';
import { ValueType, type SampleIterator } from './iterator.js';

/**
 * A {@link SampleIterator} over parallel arrays of samples sorted by strictly increasing timestamp:
 * `ts` (ms), `vs` (values) and optionally `stale` (1 where the sample is a staleness marker). It walks
 * indices [start, end) and never copies or mutates the arrays; the caller must not change them
 * while the iterator is in use.
 */
export class ArraySampleIterator implements SampleIterator {
  private i: number;

  constructor(
    private readonly ts: ArrayLike<number>,
    private readonly vs: ArrayLike<number>,
    private readonly stale: ArrayLike<number> | undefined = undefined,
    private readonly start = 0,
    private readonly end = ts.length,
  ) {
    this.i = start - 1;
  }

  next(): ValueType {
    if (this.i >= this.end) return ValueType.None;
    this.i++;
    return this.i < this.end ? ValueType.Float : ValueType.None;
  }

  seek(t: number): ValueType {
    if (this.i >= this.end) return ValueType.None;
    if (this.i >= this.start && this.ts[this.i]! >= t) return ValueType.Float;
    // The first index ≥ max(i, start) with ts ≥ t.
    this.i = lowerBound(this.ts, t, Math.max(this.i, this.start), this.end);
    return this.i < this.end ? ValueType.Float : ValueType.None;
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
}
