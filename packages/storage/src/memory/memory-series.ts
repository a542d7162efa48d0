import type { Labels } from '@pyrometer/model';

/** One series of a {@link MemoryStorage}: its labels and committed samples, sorted by timestamp. */
export class MemorySeries {
  readonly ts: number[] = [];
  readonly vs: number[] = [];
  /** 1 where the sample is a staleness marker, else 0. */
  readonly stale: number[] = [];

  constructor(
    readonly ref: number,
    readonly labels: Labels,
  ) {}

  /** Timestamp of the newest committed sample, or -Infinity when there is none. */
  get maxT(): number {
    return this.ts.length === 0 ? -Infinity : this.ts[this.ts.length - 1]!;
  }

  /** Index of the first sample with timestamp ≥ t (`length` when none). */
  lowerBound(t: number): number {
    let lo = 0;
    let hi = this.ts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ts[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Inserts a sample keeping timestamps sorted; returns false when the timestamp is already taken. */
  insert(t: number, v: number, stale: boolean): boolean {
    const n = this.ts.length;
    if (n === 0 || t > this.ts[n - 1]!) {
      this.ts.push(t);
      this.vs.push(v);
      this.stale.push(stale ? 1 : 0);
      return true;
    }
    const i = this.lowerBound(t);
    if (this.ts[i] === t) return false;
    this.ts.splice(i, 0, t);
    this.vs.splice(i, 0, v);
    this.stale.splice(i, 0, stale ? 1 : 0);
    return true;
  }

  /** Whether the series has at least one sample in [mint, maxt]. */
  hasSamplesIn(mint: number, maxt: number): boolean {
    const i = this.lowerBound(mint);
    return i < this.ts.length && this.ts[i]! <= maxt;
  }
}
