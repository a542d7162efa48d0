import type { Labels } from '@pyrometer/model';
import { ValueType, type Series as StorageSeries } from '@pyrometer/storage';

/**
 * One selected series with its samples copied out of the storage iterator into parallel arrays
 * (timestamps ascending). `stale[i]` is 1 for staleness markers, which hide older samples from the
 * lookback but are never returned as values. Owned by the evaluation that loaded it; never mutated.
 */
export interface LoadedSeries {
  readonly labels: Labels;
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  readonly stale: Uint8Array | undefined;
}

/**
 * A series during evaluation: parallel arrays of timestamps (ms, increasing) and values, so a
 * matrix of many steps costs two arrays per series instead of an object per point. `dropName`
 * marks a pending `__name__` removal (delayed name removal). Owned by the evaluation.
 */
export interface EvalSeries {
  metric: Labels;
  ts: number[];
  fs: number[];
  dropName?: boolean;
}

/**
 * The series of one select over the query's data range [mint, maxt]. Instant-vector selectors walk
 * the storage iterators directly; range functions and subqueries need random access and use
 * {@link Selection.loaded}, which copies the samples into arrays once per selection.
 */
export class Selection {
  private loadedSeries: LoadedSeries[] | undefined;

  constructor(
    readonly series: readonly StorageSeries[],
    private readonly mint: number,
    private readonly maxt: number,
  ) {}

  loaded(): LoadedSeries[] {
    return (this.loadedSeries ??= loadSeries(this.series, this.mint, this.maxt));
  }
}

/**
 * Copies the samples within [mint, maxt] (inclusive) of every series of a select into one pair of
 * typed arrays, handing out a view per series: two allocations per select instead of growing
 * arrays per series, and nothing for the garbage collector to trace.
 */
function loadSeries(series: readonly StorageSeries[], mint: number, maxt: number): LoadedSeries[] {
  let ts = new Float64Array(1024);
  let vs = new Float64Array(1024);
  let n = 0;
  const ends: number[] = [];
  const staleAt: (number[] | undefined)[] = [];
  for (const s of series) {
    const start = n;
    let stale: number[] | undefined;
    const it = s.iterator();
    for (let vt = it.seek(mint); vt !== ValueType.None; vt = it.next()) {
      const t = it.atT();
      if (t > maxt) break;
      if (vt !== ValueType.Float) continue;
      if (n === ts.length) {
        ts = grow(ts, 2 * n);
        vs = grow(vs, 2 * n);
      }
      if (it.atStale()) (stale ??= []).push(n - start);
      ts[n] = t;
      vs[n] = it.atF();
      n++;
    }
    ends.push(n);
    staleAt.push(stale);
    // Series of one select tend to have similar lengths: size for all of them after the first.
    if (ends.length === 1 && n * series.length > ts.length) {
      ts = grow(ts, n * series.length + 64);
      vs = grow(vs, n * series.length + 64);
    }
  }
  const out: LoadedSeries[] = [];
  let start = 0;
  for (let i = 0; i < series.length; i++) {
    const end = ends[i]!;
    const at = staleAt[i];
    let stale: Uint8Array | undefined;
    if (at !== undefined) {
      stale = new Uint8Array(end - start);
      for (const k of at) stale[k] = 1;
    }
    out.push({ labels: series[i]!.labels, ts: ts.subarray(start, end), vs: vs.subarray(start, end), stale });
    start = end;
  }
  return out;
}

function grow(a: Float64Array<ArrayBuffer>, capacity: number): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(capacity);
  bigger.set(a);
  return bigger;
}

/** Index of the first sample with timestamp > t (binary search). */
export function upperBound(ts: ArrayLike<number>, t: number, lo = 0): number {
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
