/**
 * One step of Kahan–Neumaier summation as upstream's kahansum.Inc, split in two so hot loops
 * allocate nothing: the new sum is `sum + inc`, and this returns the new compensation (reset by an
 * infinite sum). Compute it before updating the sum.
 */
export function kahanCompensation(inc: number, sum: number, c: number): number {
  const t = sum + inc;
  if (t === Infinity || t === -Infinity) return 0;
  if (Math.abs(sum) >= Math.abs(inc)) return c + (sum - t + inc);
  return c + (inc - t + sum);
}

/**
 * The φ-quantile of already sorted values with linear interpolation between closest ranks
 * (upstream's `quantile`): NaN for no values or NaN φ, ±Inf for φ outside [0, 1].
 */
export function quantileOfSorted(q: number, sorted: readonly number[]): number {
  if (sorted.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const n = sorted.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return sorted[lower]! * (1 - weight) + sorted[upper]! * weight;
}

/** Upstream's almost.Equal: equal, both NaN, or within `epsilon` relative difference (absolute near zero). */
export function almostEqual(a: number, b: number, epsilon: number): boolean {
  const minNormal = 2.2250738585072014e-308;
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < minNormal) return diff < epsilon * minNormal;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}
