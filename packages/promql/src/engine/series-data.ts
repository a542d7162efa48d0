import type { Labels } from '@pyrometer/model';
import { ValueType, type Series as StorageSeries } from '@pyrometer/storage';

/**
 * One selected series with its samples copied out of the storage iterator into parallel arrays
 * (timestamps ascending). `stale[i]` marks staleness markers, which hide older samples from the
 * lookback but are never returned as values. Owned by the evaluation that loaded it.
 */
export interface LoadedSeries {
  readonly labels: Labels;
  readonly ts: number[];
  readonly vs: number[];
  readonly stale: boolean[] | undefined;
  /** Set for series produced by a subquery whose `__name__` is due for removal. */
  readonly dropName?: boolean;
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

/** Copies a storage series' samples within [mint, maxt] (inclusive). */
export function loadSeries(series: StorageSeries, mint: number, maxt: number): LoadedSeries {
  const it = series.iterator();
  const ts: number[] = [];
  const vs: number[] = [];
  let stale: boolean[] | undefined;
  for (let vt = it.seek(mint); vt !== ValueType.None; vt = it.next()) {
    const t = it.atT();
    if (t > maxt) break;
    if (vt !== ValueType.Float) continue;
    if (it.atStale()) {
      if (stale === undefined) stale = new Array<boolean>(ts.length).fill(false);
      stale.push(true);
    } else if (stale !== undefined) stale.push(false);
    ts.push(t);
    vs.push(it.atF());
  }
  return { labels: series.labels, ts, vs, stale };
}

/** Index of the first sample with timestamp > t (binary search). */
export function upperBound(ts: readonly number[], t: number, lo = 0): number {
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
