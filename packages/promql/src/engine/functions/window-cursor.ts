import { Labels } from '@pyrometer/model';
import type { FunctionContext, RangeWindow } from './types.js';
import { SlidingExtreme } from './sliding-extreme.js';
import { upperBound } from '../series-data.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One less than a power of two: the cursor checks for a cancel every this many steps plus one. */
const CANCEL_CHECK_STEPS = 0xffff;

/** What stays the same for every series and step of one range-function call. */
export interface WindowGrid {
  /** The query's steps, ms. */
  readonly start: number;
  readonly end: number;
  readonly interval: number;
  /** The selector's range, offset and `@` time (undefined: each step's own time), ms. */
  readonly range: number;
  readonly offset: number;
  readonly at: number | undefined;
  /** How far the windows reach before their range start and past their end (anchored, smoothed), ms. */
  readonly before: number;
  readonly after: number;
  readonly anchored: boolean;
  readonly smoothed: boolean;
  /** Each scalar argument's value at every step, in argument order (the matrix argument skipped). */
  readonly scalarArgs: readonly (readonly number[] | undefined)[];
  /** Throws when the query was cancelled or ran out of time. */
  readonly checkAbort: () => void;
}

/**
 * A series' range windows, one step at a time, and the column a range function writes its values
 * to: between {@link next} returning true and the next call, the cursor is the step's
 * {@link RangeWindow}. A range function runs its own step loop (`while (c.next()) c.put(…)`), so
 * V8 compiles each function's loop on its own with only that function inlined; one loop shared by
 * every function saw a new call target (and recompiled) whenever a query used a function the
 * process had not met. Its arrays are always Float64Array, for the same reason.
 */
export class WindowCursor implements RangeWindow {
  ts: Float64Array = new Float64Array(0);
  vs: Float64Array = new Float64Array(0);
  lo = 0;
  hi = 0;
  rangeStart = 0;
  rangeEnd = 0;
  readonly range: number;
  metric: Labels = Labels.EMPTY;
  readonly scalars: number[];
  readonly anchored: boolean;
  readonly smoothed: boolean;
  mayReset = true;
  /** What functions read of the evaluation; its `ts` is the current step's time. */
  readonly ctx: FunctionContext;
  /** How many points were put for the current series: times in `stepTs`, values in `values`. */
  n = 0;
  /** How many samples the windows of the current series held, summed over its steps. */
  samples = 0;
  private step = 0;
  private t = 0;
  private values: number[] | Float64Array = [];
  private readonly stepTs: Float64Array;
  private sliding: SlidingExtreme | undefined;

  constructor(
    private readonly grid: WindowGrid,
    ctx: FunctionContext,
    steps: number,
  ) {
    this.range = grid.range;
    this.scalars = new Array<number>(grid.scalarArgs.length).fill(0);
    this.anchored = grid.anchored;
    this.smoothed = grid.smoothed;
    this.ctx = ctx;
    this.stepTs = new Float64Array(steps);
  }

  /** Starts over on a series' samples, writing its values to `values` (sized for every step). */
  reset(metric: Labels, ts: Float64Array, vs: Float64Array, mayReset: boolean, values: number[] | Float64Array): void {
    this.metric = metric;
    this.ts = ts;
    this.vs = vs;
    this.mayReset = mayReset;
    this.values = values;
    this.lo = 0;
    this.hi = 0;
    this.n = 0;
    this.samples = 0;
    this.step = 0;
    this.t = this.grid.start;
  }

  /** Moves to the next step whose window holds a sample; false after the last step. */
  next(): boolean {
    const g = this.grid;
    const ts = this.ts;
    const count = ts.length;
    while (this.t <= g.end) {
      const t = this.t;
      const step = this.step++;
      this.t += g.interval;
      // A long grid (a subquery's) checks for a cancel within a series too.
      if ((step & CANCEL_CHECK_STEPS) === CANCEL_CHECK_STEPS) g.checkAbort();
      const ref = (g.at ?? t) - g.offset;
      const rangeStart = ref - g.range;
      let lo = this.lo;
      let hi = this.hi;
      if (g.at === undefined) {
        // Windows only move forward: slide both ends instead of searching.
        while (lo < count && ts[lo]! <= rangeStart - g.before) lo++;
        if (hi < lo) hi = lo;
        while (hi < count && ts[hi]! <= ref + g.after) hi++;
      } else {
        lo = upperBound(ts, rangeStart - g.before);
        hi = upperBound(ts, ref + g.after, lo);
      }
      this.lo = lo;
      this.hi = hi;
      if (hi === lo) continue;
      for (let i = 0; i < this.scalars.length; i++) this.scalars[i] = g.scalarArgs[i]![step]!;
      this.rangeStart = rangeStart;
      this.rangeEnd = ref;
      (this.ctx as Mutable<FunctionContext>).ts = t;
      this.samples += hi - lo;
      return true;
    }
    return false;
  }

  /** The current step's value (undefined: no point at this step). */
  put(v: number | undefined): void {
    if (v === undefined) return;
    this.stepTs[this.n] = this.t - this.grid.interval;
    this.values[this.n++] = v;
  }

  /** The step times of the points put for the current series (a scratch column, reused for the next). */
  get times(): Float64Array {
    return this.stepTs;
  }

  /** Sliding `max_over_time` (`max`) / `min_over_time` state, started over on the current series. */
  extremes(max: boolean): SlidingExtreme {
    const sliding = (this.sliding ??= new SlidingExtreme());
    sliding.reset(this.vs, max);
    return sliding;
  }
}
