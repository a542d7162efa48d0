import type { FloatHistogram, Labels } from '@pyrometer/model';
import { type EvalSeries, evalSeries, type NumberColumn } from './series-data.js';

/** Grids of more steps than this get their outputs in typed columns (see {@link RangeColumns}). */
export const TYPED_COLUMNS_MIN_STEPS = 1 << 16;
/** Points one grid may reserve in typed columns; series beyond it grow plain arrays. */
const TYPED_RESERVE_LIMIT = 1 << 27;

/**
 * Where the output series of one step grid (an evaluator's) get their columns. On a grid of more than
 * {@link TYPED_COLUMNS_MIN_STEPS} steps a new series gets `Float64Array` columns sized once to the
 * steps left: growing a plain array by `push` copies it whole, and on a 34.5M-step subquery one
 * such copy paused the worker for hundreds of ms between two cancel checks. A typed array's
 * memory is zeroed pages the system maps at their first write, so capacity a sparse series
 * never fills costs address space, not memory; the reservations of one grid are capped
 * (2^27 points per column) and series past the cap grow plain arrays. Smaller grids keep plain
 * arrays: cheaper to make, and every reader sees one kind of array.
 */
export class RangeColumns {
  private reserved = 0;

  /** `steps`: the grid's; `reserveLimit`: points the typed columns may reserve in all (2^27 unless a test says). */
  constructor(
    private readonly steps: number,
    private readonly reserveLimit = TYPED_RESERVE_LIMIT,
  ) {}

  /** A builder for a series whose first point is at step index `step` (0-based). */
  series(metric: Labels, dropName: boolean, step: number): SeriesColumns {
    return new SeriesColumns(metric, dropName, this.reserve(this.steps - step));
  }

  /**
   * A column for a series of at most `capacity` points, written by index from 0 and cut with
   * {@link firstPoints}: typed while this grid is long and the reservation lasts, else plain.
   */
  column(capacity: number): number[] | Float64Array {
    const typed = this.reserve(capacity);
    return typed === 0 ? [] : new Float64Array(typed);
  }

  /** The typed capacity granted for `points` (0: grow a plain array instead). */
  private reserve(points: number): number {
    if (this.steps <= TYPED_COLUMNS_MIN_STEPS || this.reserved + points > this.reserveLimit) return 0;
    this.reserved += points;
    return points;
  }
}

/** The first `n` points of a column from {@link RangeColumns.column}: a typed column's view, a plain one cut to `n`. */
export function firstPoints(column: number[] | Float64Array, n: number): NumberColumn {
  if (column instanceof Float64Array) return column.subarray(0, n);
  column.length = n;
  return column;
}

/** One output series of a range evaluation, appended point by point in step order. */
export class SeriesColumns {
  /** The step time of the last point appended (NaN before the first). */
  lastTs = NaN;
  private n = 0;
  private readonly ts: number[] | Float64Array;
  private readonly fs: number[] | Float64Array;
  private hs: (FloatHistogram | undefined)[] | undefined;

  /** `capacity` 0 grows plain arrays; otherwise typed columns hold at most `capacity` points. */
  constructor(
    private readonly metric: Labels,
    private readonly dropName: boolean,
    capacity: number,
  ) {
    this.ts = capacity === 0 ? [] : new Float64Array(capacity);
    this.fs = capacity === 0 ? [] : new Float64Array(capacity);
  }

  append(t: number, f: number, h: FloatHistogram | undefined): void {
    if (h !== undefined) this.hs ??= new Array<FloatHistogram | undefined>(this.n).fill(undefined);
    this.hs?.push(h);
    const n = this.n++;
    this.ts[n] = t;
    this.fs[n] = f;
    this.lastTs = t;
  }

  /** The series appended so far (typed columns as views of their first points, not copies). */
  finish(): EvalSeries {
    const ts = firstPoints(this.ts, this.n);
    const fs = firstPoints(this.fs, this.n);
    return evalSeries(this.metric, ts, fs, this.dropName, this.hs);
  }
}
