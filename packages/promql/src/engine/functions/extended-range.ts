import type { FPoint } from '../../value.js';
import type { RangeWindow } from './types.js';

/** Linear interpolation at t between two points; for counters a reset makes the line start at 0. */
function interpolate(t1: number, y1: number, t2: number, y2: number, t: number, isCounter: boolean): number {
  const from = isCounter && y2 < y1 ? 0 : y1;
  return from + ((y2 - from) * (t - t1)) / (t2 - t1);
}

/** Index of the first sample in [lo, hi) with timestamp > t (or ≥ t when `inclusive`), searching [lo, hi - 1) as upstream's sort.Search over all but the last. */
function search(ts: ArrayLike<number>, lo: number, hi: number, t: number, inclusive: boolean): number {
  let i = lo;
  while (i < hi - 1 && !(inclusive ? ts[i]! >= t : ts[i]! > t)) i++;
  return i;
}

interface Bounds {
  first: number;
  last: number;
  left: number;
  right: number;
}

/** The boundary values of an anchored/smoothed window (upstream's pickOrInterpolateLeft/Right), or undefined when empty. */
function bounds(ts: ArrayLike<number>, vs: ArrayLike<number>, lo: number, hi: number, rangeStart: number, rangeEnd: number, smoothed: boolean, isCounter: boolean): Bounds | undefined {
  const first = Math.max(lo, search(ts, lo, hi, rangeStart, false) - 1);
  const last = smoothed ? search(ts, lo, hi, rangeEnd, true) : hi - 1;
  if (ts[last]! <= rangeStart) return undefined;
  if (smoothed && ts[first]! > rangeEnd) return undefined;
  const left = smoothed && ts[first]! < rangeStart && first + 1 < hi ? interpolate(ts[first]!, vs[first]!, ts[first + 1]!, vs[first + 1]!, rangeStart, isCounter) : vs[first]!;
  const right = smoothed && last > lo && ts[last]! > rangeEnd ? interpolate(ts[last - 1]!, vs[last - 1]!, ts[last]!, vs[last]!, rangeEnd, isCounter) : vs[last]!;
  return { first, last, left, right };
}

/** rate/increase/delta over an anchored or smoothed window (upstream's extendedRate): no extrapolation, exact boundary values. */
export function extendedRate(w: RangeWindow, isCounter: boolean, isRate: boolean): number | undefined {
  const { ts, vs, lo, hi, rangeStart, rangeEnd } = w;
  if (hi <= lo) return undefined;
  const b = bounds(ts, vs, lo, hi, rangeStart, rangeEnd, w.smoothed, isCounter);
  if (b === undefined) return undefined;
  let result = b.right - b.left;
  if (isCounter) {
    let first = b.first;
    let last = b.last;
    if (ts[first]! <= rangeStart) first++;
    if (ts[last]! >= rangeEnd) last--;
    let prev = b.left;
    for (let i = first; i <= last; i++) {
      if (vs[i]! < prev) result += prev;
      prev = vs[i]!;
    }
    if (b.right < prev) result += prev;
  }
  if (isRate) result /= w.range / 1000;
  return result;
}

/** The first index changes()/resets() consider: with `anchored`, the last sample at or before the range start. Undefined when nothing follows the range start. */
export function firstSampleIndex(w: RangeWindow): number | undefined {
  if (!w.anchored) return w.lo;
  let lastLE = w.lo - 1;
  while (lastLE + 1 < w.hi && w.ts[lastLE + 1]! <= w.rangeStart) lastLE++;
  if (lastLE + 1 >= w.hi) return undefined;
  return lastLE < w.lo ? w.lo : lastLE;
}

/** The points of an anchored/smoothed range vector: the boundary values at mint and maxt plus the samples strictly inside. */
export function extendFloats(ts: ArrayLike<number>, vs: ArrayLike<number>, lo: number, hi: number, mint: number, maxt: number, smoothed: boolean): FPoint[] {
  const b = bounds(ts, vs, lo, hi, mint, maxt, smoothed, false);
  if (b === undefined) return [];
  let first = b.first;
  let last = b.last;
  if (ts[first]! <= mint) first++;
  if (ts[last]! >= maxt) last--;
  const out: FPoint[] = [{ t: mint, f: b.left }];
  for (let i = first; i <= last; i++) out.push({ t: ts[i]!, f: vs[i]! });
  out.push({ t: maxt, f: b.right });
  return out;
}

/** The value a smoothed vector selector gives at `t`: the sample at t, else interpolated between its neighbours, else the previous sample. */
export function smoothedValue(ts: ArrayLike<number>, vs: ArrayLike<number>, lo: number, hi: number, t: number): number | undefined {
  let i = lo;
  while (i < hi && ts[i]! < t) i++;
  if (i < hi && ts[i] === t) return vs[i];
  if (i > lo && i < hi) return interpolate(ts[i - 1]!, vs[i - 1]!, ts[i]!, vs[i]!, t, false);
  if (i > lo) return vs[i - 1];
  return undefined;
}
