import type { Labels } from '@pyrometer/model';
import type { Annotations } from '../../annotations.js';
import type { Call } from '../../parser/index.js';
import type { Sample } from '../../value.js';
import type { WindowCursor } from './window-cursor.js';

/** What a function sees of the evaluation at one step. Owned by the evaluator; valid during the call only. */
export interface FunctionContext {
  /** The evaluation timestamp of this step, ms. */
  readonly ts: number;
  readonly call: Call;
  readonly delayedNameRemoval: boolean;
  readonly annotations: Annotations;
  /** Scratch space that lives for all steps of this call node's evaluation (label sets repeat every step). */
  readonly memo: Map<unknown, unknown>;
}

/**
 * A function over instant vectors (scalar arguments arrive as one-sample vectors, string
 * arguments are read from `call.args`). Returns the output vector for this step.
 */
export type VectorFunction = (args: readonly Sample[][], ctx: FunctionContext) => Sample[];

/**
 * The samples of one series inside one range window, as index range [lo, hi) into parallel arrays
 * (staleness markers already removed), plus the window's bounds in ms: (rangeStart, rangeEnd].
 */
export interface RangeWindow {
  readonly ts: ArrayLike<number>;
  readonly vs: ArrayLike<number>;
  readonly lo: number;
  readonly hi: number;
  readonly rangeStart: number;
  readonly rangeEnd: number;
  /** The selector's range in ms. */
  readonly range: number;
  readonly metric: Labels;
  /** Values of the scalar arguments at this step, in argument order (matrix argument skipped). */
  readonly scalars: readonly number[];
  /**
   * The experimental extended selector modifiers: with `anchored` the window also holds the samples
   * of the lookback delta before `rangeStart`; with `smoothed` also those of the lookback after
   * `rangeEnd`.
   */
  readonly anchored: boolean;
  readonly smoothed: boolean;
  /**
   * False when no value of the whole series (`vs`) is below the one before it, so no window holds
   * a counter reset; true when one may. Set for `rate` and `increase` (true for other functions).
   */
  readonly mayReset: boolean;
}

/**
 * A function over range windows: given a cursor on one series, it puts its value at every step
 * the cursor moves to (`while (c.next()) c.put(value)`; `undefined` means no point at that step).
 */
export type RangeFunction = (c: WindowCursor) => void;
