import { type EvalSeries, evalSeries } from './series-data.js';

/**
 * The float points of a matrix, for operations that do not take native histograms yet: series
 * without histogram points are passed through as they are (one check per series); histogram
 * points are removed, and series left without points dropped (kept empty with `keepEmpty`, so
 * indexes into the matrix stay valid).
 */
export function floatPointsOnly(mat: EvalSeries[], keepEmpty = false): EvalSeries[] {
  if (!mat.some((s) => s.hs !== undefined)) return mat;
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
