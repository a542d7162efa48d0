import { describe, expect, it } from 'vitest';
import { Labels } from '@pyrometer/model';
import type { Call } from '../../parser/index.js';
import { Annotations } from '../../annotations.js';
import type { FunctionContext } from './types.js';
import { WindowCursor, type WindowGrid } from './window-cursor.js';

/** A series sampled every 10 s from 0 to 100 s (ms), valued by its index. */
const TS = Float64Array.from({ length: 11 }, (_, i) => i * 10_000);
const VS = Float64Array.from({ length: 11 }, (_, i) => i);

function cursorOn(grid: Partial<WindowGrid>, steps: number): WindowCursor {
  const full: WindowGrid = { start: 0, end: 100_000, interval: 20_000, range: 30_000, offset: 0, at: undefined, before: 0, after: 0, anchored: false, smoothed: false, scalarArgs: [], checkAbort: () => {}, ...grid };
  const ctx: FunctionContext = { ts: 0, call: {} as Call, delayedNameRemoval: false, annotations: new Annotations(), memo: new Map() };
  return new WindowCursor(full, ctx, steps);
}

/** Every window the cursor moves to: [step time, lo, hi, range start, range end]. */
function windows(c: WindowCursor): number[][] {
  const seen: number[][] = [];
  while (c.next()) seen.push([c.ctx.ts, c.lo, c.hi, c.rangeStart, c.rangeEnd]);
  return seen;
}

describe('WindowCursor', () => {
  it('moves over the steps whose window (t - range, t] holds a sample, sliding both ends', () => {
    const c = cursorOn({}, 6);
    c.reset(Labels.EMPTY, TS, VS, true, []);
    // Each window is (t - 30 s, t]: the sample at t - 30 s is out, the one at t in.
    expect(windows(c)).toEqual([
      [0, 0, 1, -30_000, 0],
      [20_000, 0, 3, -10_000, 20_000],
      [40_000, 2, 5, 10_000, 40_000],
      [60_000, 4, 7, 30_000, 60_000],
      [80_000, 6, 9, 50_000, 80_000],
      [100_000, 8, 11, 70_000, 100_000],
    ]);
    expect(c.samples).toBe(1 + 3 + 3 + 3 + 3 + 3);
  });

  it('skips steps with an empty window and puts values at the steps it stopped at', () => {
    const c = cursorOn({ start: 0, end: 200_000, range: 5_000, offset: 0 }, 11);
    const values: number[] = [];
    c.reset(Labels.EMPTY, TS, VS, true, values);
    while (c.next()) c.put(c.hi - c.lo === 1 ? c.vs[c.lo]! : undefined);
    // Steps 120 s … 200 s are past the last sample; an undefined value puts no point.
    expect(c.n).toBe(6);
    expect(Array.from(c.times.subarray(0, c.n))).toEqual([0, 20_000, 40_000, 60_000, 80_000, 100_000]);
    expect(values).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('reads the same window at every step under `@`, with offset, and the scalar arguments of each step', () => {
    const c = cursorOn({ at: 50_000, offset: 10_000, scalarArgs: [[1, 2, 3, 4, 5, 6]] }, 6);
    c.reset(Labels.EMPTY, TS, VS, true, []);
    const seen: number[][] = [];
    while (c.next()) seen.push([c.lo, c.hi, c.rangeEnd, c.scalars[0]!]);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6].map((scalar) => [2, 5, 40_000, scalar]));
  });

  it('widens windows by `before` and `after` (anchored and smoothed selectors)', () => {
    const c = cursorOn({ start: 40_000, end: 40_000, before: 10_000, after: 10_000, anchored: true, smoothed: true }, 1);
    c.reset(Labels.EMPTY, TS, VS, true, []);
    // (40 - 30 - 10, 40 + 10] s: the samples at 10 … 50 s.
    expect(windows(c)).toEqual([[40_000, 1, 6, 10_000, 40_000]]);
  });

  it('starts over on the next series', () => {
    const c = cursorOn({}, 6);
    c.reset(Labels.EMPTY, TS, VS, true, []);
    windows(c);
    const later = Float64Array.of(90_000, 100_000);
    c.reset(Labels.EMPTY, later, Float64Array.of(1, 2), false, []);
    expect(windows(c)).toEqual([[100_000, 0, 2, 70_000, 100_000]]);
    expect(c.samples).toBe(2);
    expect(c.mayReset).toBe(false);
  });

  it('checks for a cancel every 65,536 steps of a long grid', () => {
    let checks = 0;
    const steps = 200_000;
    const c = cursorOn({ start: 0, end: steps - 1, interval: 1, range: 1, checkAbort: () => checks++ }, steps);
    c.reset(Labels.EMPTY, TS, VS, true, []);
    windows(c);
    expect(checks).toBe(Math.floor(steps / 65_536));
  });
});
