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
 * the storage iterators directly; range functions and subqueries need random access: a selection
 * read by several nodes of the query is copied into arrays once ({@link Selection.loaded}), one read
 * once is decoded series by series into one scratch buffer ({@link Selection.streamed}), so its
 * samples never all sit in memory at once.
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

  /**
   * Every series with its samples, staleness markers left out, decoded into scratch arrays that the
   * next iteration overwrites: use each series before asking for the next. Reuses the loaded copy
   * when there is one.
   */
  *streamed(): Generator<{ readonly labels: Labels; readonly ts: Float64Array; readonly vs: Float64Array }> {
    if (this.loadedSeries !== undefined) {
      for (const ls of this.loadedSeries) yield ls.stale === undefined ? ls : withoutStale(ls);
      return;
    }
    const scratch: Scratch = { ts: new Float64Array(1024), vs: new Float64Array(1024), n: 0 };
    for (const s of this.series) {
      scratch.n = 0;
      decodeInto(s, this.mint, this.maxt, scratch, false);
      yield { labels: s.labels, ts: scratch.ts.subarray(0, scratch.n), vs: scratch.vs.subarray(0, scratch.n) };
    }
  }
}

interface Scratch {
  ts: Float64Array<ArrayBuffer>;
  vs: Float64Array<ArrayBuffer>;
  n: number;
}

/**
 * Appends the float samples of `s` within [mint, maxt] to `into` (growing it), from index `into.n`.
 * With `keepStale`, staleness markers are kept and their indexes (relative to the series' first
 * sample) returned; without, they are left out.
 */
function decodeInto(s: StorageSeries, mint: number, maxt: number, into: Scratch, keepStale: boolean): number[] | undefined {
  const start = into.n;
  let stale: number[] | undefined;
  const it = s.iterator();
  for (let vt = it.seek(mint); vt !== ValueType.None; vt = it.next()) {
    const t = it.atT();
    if (t > maxt) break;
    if (vt !== ValueType.Float) continue;
    if (it.atStale()) {
      if (!keepStale) continue;
      (stale ??= []).push(into.n - start);
    }
    if (into.n === into.ts.length) {
      into.ts = grow(into.ts, 2 * into.n);
      into.vs = grow(into.vs, 2 * into.n);
    }
    into.ts[into.n] = t;
    into.vs[into.n] = it.atF();
    into.n++;
  }
  return stale;
}

function withoutStale(ls: LoadedSeries): { labels: Labels; ts: Float64Array; vs: Float64Array } {
  const ts: number[] = [];
  const vs: number[] = [];
  for (let i = 0; i < ls.ts.length; i++) {
    if (ls.stale![i]) continue;
    ts.push(ls.ts[i]!);
    vs.push(ls.vs[i]!);
  }
  return { labels: ls.labels, ts: Float64Array.from(ts), vs: Float64Array.from(vs) };
}

/**
 * Copies the samples within [mint, maxt] (inclusive) of every series of a select into one pair of
 * typed arrays, handing out a view per series: two allocations per select instead of growing
 * arrays per series, and nothing for the garbage collector to trace.
 */
function loadSeries(series: readonly StorageSeries[], mint: number, maxt: number): LoadedSeries[] {
  const all: Scratch = { ts: new Float64Array(1024), vs: new Float64Array(1024), n: 0 };
  const ends: number[] = [];
  const staleAt: (number[] | undefined)[] = [];
  for (const s of series) {
    staleAt.push(decodeInto(s, mint, maxt, all, true));
    ends.push(all.n);
    // Series of one select tend to have similar lengths: size for all of them after the first.
    if (ends.length === 1 && all.n * series.length > all.ts.length) {
      all.ts = grow(all.ts, all.n * series.length + 64);
      all.vs = grow(all.vs, all.n * series.length + 64);
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
    out.push({ labels: series[i]!.labels, ts: all.ts.subarray(start, end), vs: all.vs.subarray(start, end), stale });
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
