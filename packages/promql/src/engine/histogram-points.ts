import { type EvalSeries, evalSeries } from './series-data.js';

/**
 * Whether any series of `mat` holds histogram points. A loop in a module-level function rather
 * than `mat.some((s) => …)`: V8 keeps the optimized code of a closure made per call only until
 * the next full collection, so such a closure on a query's path was compiled again and again
 * (promql README, "Closures on a query's path").
 */
export function anyHistograms(mat: readonly EvalSeries[]): boolean {
  for (const s of mat) if (s.hs !== undefined) return true;
  return false;
}

/**
 * The float points of a matrix, for operations that do not take native histograms yet: series
 * without histogram points are passed through as they are (one check per series); histogram
 * points are removed, and series left without points dropped (kept empty with `keepEmpty`, so
 * indexes into the matrix stay valid).
 */
export function floatPointsOnly(mat: EvalSeries[], keepEmpty = false): EvalSeries[] {
  if (!anyHistograms(mat)) return mat;
  const out: EvalSeries[] = [];
  for (const s of mat) {
    const hs = s.hs;
    if (hs === undefined) {
      out.push(s);
      continue;
    }
    const ts: number[] = [];
    const fs: number[] = [];
    for (let i = 0; i < s.ts.length; i++) {
      if (hs[i] !== undefined) continue;
      ts.push(s.ts[i]!);
      fs.push(s.fs[i]!);
    }
    if (ts.length > 0 || keepEmpty) out.push(evalSeries(s.metric, ts, fs, s.dropName));
  }
  return out;
}
