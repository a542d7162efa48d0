import type { Labels } from '@pyrometer/model';
import type { StoredHistogram } from '../array-iterator.js';
import { lowerBound } from '../sorted-search.js';

/**
 * One series of a {@link MemoryStorage}: its labels and committed samples, sorted by timestamp.
 * Queriers share the sample arrays instead of copying them (see {@link MemorySeries.share}); an
 * insert before the newest sample then replaces the arrays with copies, so what a querier holds
 * never changes under it (appends at the end leave existing indices as they were).
 */
export class MemorySeries {
  private tsArr: number[] = [];
  private vsArr: number[] = [];
  /** 1 where the sample is a staleness marker, else 0. */
  private staleArr: number[] = [];
  /** The histogram of each histogram sample (undefined for floats); absent until the first histogram. */
  private hsArr: (StoredHistogram | undefined)[] | undefined = undefined;
  private shared = false;

  constructor(
    readonly ref: number,
    readonly labels: Labels,
  ) {}

  get ts(): readonly number[] {
    return this.tsArr;
  }

  get vs(): readonly number[] {
    return this.vsArr;
  }

  get stale(): readonly number[] {
    return this.staleArr;
  }

  /** The histogram at index i, undefined for a float sample. */
  histogramAt(i: number): StoredHistogram | undefined {
    return this.hsArr?.[i];
  }

  /** The current arrays, for a reader that uses the index range it sees now; later inserts copy first. */
  share(): { ts: readonly number[]; vs: readonly number[]; stale: readonly number[]; hs: readonly (StoredHistogram | undefined)[] | undefined } {
    this.shared = true;
    return { ts: this.tsArr, vs: this.vsArr, stale: this.staleArr, hs: this.hsArr };
  }

  /** Timestamp of the newest committed sample, or -Infinity when there is none. */
  get maxT(): number {
    return this.tsArr.length === 0 ? -Infinity : this.tsArr[this.tsArr.length - 1]!;
  }

  /** Index of the first sample with timestamp ≥ t (`length` when none). */
  lowerBound(t: number): number {
    return lowerBound(this.tsArr, t);
  }

  /**
   * Inserts a sample (a histogram when `h` is given) keeping timestamps sorted; returns false when
   * the timestamp is already taken.
   */
  insert(t: number, v: number, stale: boolean, h?: StoredHistogram): boolean {
    if (h !== undefined && this.hsArr === undefined) {
      // Readers holding the arrays from before have no histogram in their range.
      this.hsArr = new Array<StoredHistogram | undefined>(this.tsArr.length).fill(undefined);
    }
    const n = this.tsArr.length;
    if (n === 0 || t > this.tsArr[n - 1]!) {
      this.tsArr.push(t);
      this.vsArr.push(v);
      this.staleArr.push(stale ? 1 : 0);
      this.hsArr?.push(h);
      return true;
    }
    const i = this.lowerBound(t);
    if (this.tsArr[i] === t) return false;
    if (this.shared) {
      this.tsArr = this.tsArr.slice();
      this.vsArr = this.vsArr.slice();
      this.staleArr = this.staleArr.slice();
      this.hsArr = this.hsArr?.slice();
      this.shared = false;
    }
    this.tsArr.splice(i, 0, t);
    this.vsArr.splice(i, 0, v);
    this.staleArr.splice(i, 0, stale ? 1 : 0);
    this.hsArr?.splice(i, 0, h);
    return true;
  }

  /** Whether the series has at least one sample in [mint, maxt]. */
  hasSamplesIn(mint: number, maxt: number): boolean {
    const i = this.lowerBound(mint);
    return i < this.tsArr.length && this.tsArr[i]! <= maxt;
  }
}
