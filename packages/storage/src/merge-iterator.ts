import type { FloatHistogram, Histogram } from '@pyrometer/model';
import { ValueType, type SampleIterator } from './iterator.js';

/**
 * Merges several iterators over the same series into one ordered by timestamp. When several
 * sources hold a sample with the same timestamp, the first source (in argument order) wins and
 * the others are skipped, as Prometheus's chain iterator deduplicates overlapping blocks.
 * Allocation-free after construction.
 */
export class MergeSampleIterator implements SampleIterator {
  /** Per source: 0 not started, 1 positioned on a sample, 2 exhausted. */
  private readonly state: Uint8Array;
  /** Per source: the value type of the sample it is positioned on. */
  private readonly types: Uint8Array;
  private cur = -1;
  private curT = -Infinity;

  constructor(private readonly its: readonly SampleIterator[]) {
    this.state = new Uint8Array(its.length);
    this.types = new Uint8Array(its.length);
  }

  next(): ValueType {
    if (this.cur === -2) return ValueType.None;
    const its = this.its;
    for (let i = 0; i < its.length; i++) {
      const st = this.state[i]!;
      if (st === 0 || (st === 1 && its[i]!.atT() <= this.curT)) this.advanced(i, its[i]!.next());
    }
    return this.pick();
  }

  seek(t: number): ValueType {
    if (this.cur === -2) return ValueType.None;
    if (this.cur >= 0 && this.curT >= t) return this.types[this.cur] as ValueType;
    const its = this.its;
    for (let i = 0; i < its.length; i++) {
      const st = this.state[i]!;
      if (st === 0 || (st === 1 && its[i]!.atT() < t)) this.advanced(i, its[i]!.seek(t));
    }
    return this.pick();
  }

  private advanced(i: number, vt: ValueType): void {
    this.state[i] = vt === ValueType.None ? 2 : 1;
    this.types[i] = vt;
  }

  private pick(): ValueType {
    let best = -1;
    let bestT = Infinity;
    for (let i = 0; i < this.its.length; i++) {
      if (this.state[i] !== 1) continue;
      const t = this.its[i]!.atT();
      if (t < bestT) {
        bestT = t;
        best = i;
      }
    }
    if (best < 0) {
      this.cur = -2;
      return ValueType.None;
    }
    this.cur = best;
    this.curT = bestT;
    return this.types[best] as ValueType;
  }

  atT(): number {
    return this.curT;
  }

  atF(): number {
    return this.its[this.cur]!.atF();
  }

  atStale(): boolean {
    return this.its[this.cur]!.atStale();
  }

  atHistogram(): Histogram {
    return this.its[this.cur]!.atHistogram();
  }

  atFloatHistogram(): FloatHistogram {
    return this.its[this.cur]!.atFloatHistogram();
  }

  /** The first error any source reports (see SampleIterator.err). */
  err(): Error | undefined {
    for (const it of this.its) {
      const e = it.err?.();
      if (e !== undefined) return e;
    }
    return undefined;
  }
}
