/**
 * Index of the first element ≥ `t` in the ascending `ts[lo, hi)` (`hi` when none): where samples at
 * or after time `t` start in a sorted timestamp array.
 */
export function lowerBound(ts: ArrayLike<number>, t: number, lo = 0, hi = ts.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
