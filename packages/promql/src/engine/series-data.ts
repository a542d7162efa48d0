import type { FloatHistogram, Labels } from '@pyrometer/model';
import { FloatColumns, readFloatsFrom, type Series as StorageSeries } from '@pyrometer/storage';

/**
 * One selected series' float samples (staleness markers left out) in parallel arrays, timestamps
 * ascending. Handed to a {@link LoadedSeriesSink}: the arrays are reused for the next series, so copy what you keep.
 */
export interface LoadedSeries {
  readonly labels: Labels;
  readonly ts: Float64Array;
  readonly vs: Float64Array;
}

/** Reports that a series' samples are incomplete (its storage could not read all of them). */
export type IncompleteSeries = (labels: Labels, err: Error) => void;

/**
 * A column of an evaluated series: a plain array, or a typed array sized once for a grid too long
 * to grow by `push` (see range-columns.ts). Readers index it; only its maker writes it.
 */
export type NumberColumn = number[] | Float64Array;

/**
 * A series during evaluation: parallel arrays of timestamps (ms, increasing) and values, so a
 * matrix of many steps costs two arrays per series instead of an object per point. `dropName`
 * marks a pending `__name__` removal (delayed name removal). `hs`, set only on series with native
 * histogram points, holds the histogram of point k at `hs[k]` (undefined for a float point, whose
 * `fs[k]` is then the value; for a histogram point `fs[k]` is 0). Owned by the evaluation. Made by
 * {@link evalSeries} only, so that every series has the same fields in the same order: V8 then
 * gives them all one hidden class, and the loops over series are compiled once for it.
 */
export interface EvalSeries {
  metric: Labels;
  ts: NumberColumn;
  fs: NumberColumn;
  hs: (FloatHistogram | undefined)[] | undefined;
  dropName: boolean;
}

/** A series its maker is still appending to, in plain arrays. */
export interface GrowingSeries extends EvalSeries {
  ts: number[];
  fs: number[];
}

/** An evaluated series with every field set, in the one order all series share (see {@link EvalSeries}). */
export function evalSeries<T extends NumberColumn, F extends NumberColumn>(metric: Labels, ts: T, fs: F, dropName = false, hs: (FloatHistogram | undefined)[] | undefined = undefined): EvalSeries & { ts: T; fs: F } {
  return { metric, ts, fs, hs, dropName };
}

/**
 * The series of one select over the query's data range [mint, maxt]. Instant-vector selectors walk
 * the storage iterators directly; range functions need random access to a series' samples and
 * use {@link forEachLoaded}, which decodes one series at a time into arrays reused for the next, so
 * a selection costs the memory of its longest series, not of all of them. A selection that several
 * nodes of the query load (`uses` > 1) keeps a copy of what it decoded the first time instead.
 */
/**
 * Takes the series a {@link Selection} loads, one at a time; its arrays are reused for the next
 * series, so it copies what it keeps. An object with a method rather than a callback: a range
 * function's pass (RangeFunctionPass) is the sink on the hot path, and a closure made per query
 * loses its optimized code at the worker's next full collection (README, "Closures on a query's path").
 */
export interface LoadedSeriesSink {
  loaded(series: LoadedSeries): void;
}

export class Selection {
  private cached: LoadedSeries[] | undefined;

  constructor(
    readonly series: readonly StorageSeries[],
    private readonly mint: number,
    private readonly maxt: number,
    private readonly uses = 1,
  ) {}

  /**
   * Calls `sink.loaded` with every series' float samples within [from, to] (staleness markers left out),
   * in selection order: the window the caller reads, within the selection's [mint, maxt]. The
   * query's data range is a superset of every selector's (by two lookback deltas for a range
   * selector), and decoding only what the caller reads saves most of the decoding of a short range
   * like `[1m]`. A selection loaded by several nodes decodes its whole range once and keeps it, so
   * then `sink` may see samples outside [from, to] too. A series whose storage stops early is
   * passed with what was read, and reported to `incomplete`.
   */
  forEachLoaded(sink: LoadedSeriesSink, incomplete: IncompleteSeries, from = this.mint, to = this.maxt): void {
    if (this.cached !== undefined) {
      for (const ls of this.cached) sink.loaded(ls);
      return;
    }
    const keep: LoadedSeries[] | undefined = this.uses > 1 ? [] : undefined;
    const mint = keep === undefined ? Math.max(from, this.mint) : this.mint;
    const maxt = keep === undefined ? Math.min(to, this.maxt) : this.maxt;
    const columns = scratch.take();
    try {
      for (const s of this.series) {
        columns.clear();
        const err = s.readFloats !== undefined ? s.readFloats(mint, maxt, columns) : readFloatsFrom(s.iterator(), mint, maxt, columns);
        if (err !== undefined) incomplete(s.labels, err);
        const n = columns.length;
        const ls = { labels: s.labels, ts: columns.ts.subarray(0, n), vs: columns.vs.subarray(0, n) };
        keep?.push({ labels: s.labels, ts: ls.ts.slice(), vs: ls.vs.slice() });
        sink.loaded(ls);
      }
    } finally {
      scratch.give(columns);
    }
    this.cached = keep;
  }
}

/**
 * The columns selections decode into, one set kept for the thread: a selection used to allocate
 * its own (16 KiB of zeroed memory) even when it never loaded a series, once per selector and
 * query. A load started while another is under way (not done by the engine) gets columns of its own.
 */
class ScratchColumns {
  private free: FloatColumns | undefined = new FloatColumns();

  take(): FloatColumns {
    const columns = this.free ?? new FloatColumns();
    this.free = undefined;
    return columns;
  }

  give(columns: FloatColumns): void {
    this.free = columns;
  }
}

const scratch = new ScratchColumns();

/** The thread's scratch columns for a read that ends before any other starts: take, then give back. */
export const scratchColumns: { take(): FloatColumns; give(columns: FloatColumns): void } = scratch;

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
