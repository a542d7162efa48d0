import type { FloatHistogram } from '@pyrometer/model';
import type { BinaryOp, VectorMatching } from '../parser/index.js';
import { changesMetricSchema, comparisonHolds, isComparison, resultMetric, scalarBinop, type BinopCache } from './binary.js';
import { withHistogramPoints, type BinopSite } from './histogram-binary.js';
import { dropMetricName } from './labels-util.js';
import { columnOp } from './column-ops.js';
import { type EvalSeries, evalSeries, type NumberColumn } from './series-data.js';

/** The scalar side of `vector op scalar`: its value at every step of the evaluator's grid. */
export interface StepScalar {
  readonly values: readonly number[];
  readonly start: number;
  readonly interval: number;
}

/**
 * `vector op scalar` (or `scalar op vector` with `swap`) over whole series at once: the label
 * sets of a vector are the same at every step, so each series is handled once with a loop over
 * its points, where upstream's VectorscalarBinop runs per step. The series' values and the
 * scalar at their times are copied into two scratch columns, and the operator's own loop (see
 * column-ops.ts) runs over them. Arithmetic and `bool` keep every point, in a new column beside
 * the input's timestamps (shared, never written in place); a filtering comparison copies the
 * points it keeps. The result may hold equal label sets (after name removal); the caller merges
 * them.
 */
export function vectorScalarSeries(
  op: BinaryOp,
  mat: readonly EvalSeries[],
  scalar: StepScalar,
  swap: boolean,
  returnBool: boolean,
  delayedNameRemoval: boolean,
  site: BinopSite,
): EvalSeries[] {
  const comparison = isComparison(op);
  const loop = columnOp(op);
  const dropsName = changesMetricSchema(op) || returnBool;
  const { values, start, interval } = scalar;
  const constant = allSame(values) ? values[0] : undefined;
  const filters = comparison && !returnBool;
  const out: EvalSeries[] = [];
  for (const s of mat) {
    const metric = dropsName && !delayedNameRemoval ? dropMetricName(s.metric) : s.metric;
    const dropName = dropsName || s.dropName;
    if (s.hs !== undefined) {
      // A series with native histogram points goes point by point through the histogram rules.
      const point = (l: number, r: number, f: number) => (!comparison ? scalarBinop(op, l, r) : returnBool ? (comparisonHolds(op, l, r) ? 1 : 0) : comparisonHolds(op, l, r) ? f : undefined);
      const hs = withHistogramPoints(s, op, scalar, constant, swap, returnBool, site, point);
      if (hs.ts.length > 0) out.push(evalSeries(metric, hs.ts, hs.fs, dropName, hs.hs));
      continue;
    }
    const n = s.ts.length;
    if (n === 0) continue;
    // Copied by the typed arrays' own `set` and `fill`, which take any kind of column: a loop
    // reading the series' columns here was recompiled for each kind it met.
    const vs = operands.values.take(n);
    vs.set(s.fs);
    const xs = operands.scalars.take(n);
    if (constant !== undefined) xs.fill(constant, 0, n);
    else {
      const times = operands.times.take(n);
      times.set(s.ts);
      for (let k = 0; k < n; k++) xs[k] = values[Math.round((times[k]! - start) / interval)]!;
    }
    const results = filters ? operands.results.take(n) : new Float64Array(n);
    loop(swap ? xs : vs, swap ? vs : xs, results, n);
    if (!filters) {
      out.push(evalSeries(metric, s.ts, results, dropName));
      continue;
    }
    const kept = keptPoints(s.ts, vs, results, n);
    if (kept !== undefined) out.push(evalSeries(metric, kept.ts, kept.fs, dropName));
  }
  return out;
}

/** The points k < n where `holds[k]` is 1, as new columns; undefined when none is. */
/** Whether every value is the same (`Object.is`: NaN equals NaN, -0 differs from 0). */
function allSame(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i++) if (!Object.is(values[i], values[0])) return false;
  return true;
}

function keptPoints(ts: NumberColumn, fs: Float64Array, holds: Float64Array, n: number): { ts: number[]; fs: number[] } | undefined {
  let first = 0;
  while (first < n && holds[first] !== 1) first++;
  if (first === n) return undefined;
  const keptTs: number[] = [];
  const keptFs: number[] = [];
  for (let k = first; k < n; k++) {
    if (holds[k] !== 1) continue;
    keptTs.push(ts[k]!);
    keptFs.push(fs[k]!);
  }
  return { ts: keptTs, fs: keptFs };
}

/** A column kept for the thread and reused, grown to the longest series met. */
class ScratchColumn {
  private column = new Float64Array(0);

  /** The column, at least `n` long; valid until the next call. */
  take(n: number): Float64Array {
    if (this.column.length < n) this.column = new Float64Array(n);
    return this.column;
  }
}

/** The scratch columns of {@link vectorScalarSeries}: its operands, the series' times, a filter's outcomes. */
const operands = { values: new ScratchColumn(), scalars: new ScratchColumn(), times: new ScratchColumn(), results: new ScratchColumn() };

/**
 * `lhs op rhs` between two vectors, series by series (upstream's VectorBinop per step gives the
 * same points): each series of the "many" side is paired once with the series of the "one" side
 * that has its matching signature, and the two are joined on their timestamps. Returns undefined
 * when a signature is shared by several series where upstream only fails if they meet at one
 * step; the caller then evaluates step by step, which raises exactly those errors.
 */
export function vectorBinopSeries(op: BinaryOp, lhsMat: readonly EvalSeries[], rhsMat: readonly EvalSeries[], m: VectorMatching, returnBool: boolean, delayedNameRemoval: boolean, cache: BinopCache): EvalSeries[] | undefined {
  const oneToMany = m.card === 'one-to-many';
  const [manySide, oneSide] = oneToMany ? [rhsMat, lhsMat] : [lhsMat, rhsMat];
  const one = new Map<string, EvalSeries>();
  for (const s of oneSide) {
    const sig = cache.signature(s.metric, m);
    if (one.has(sig)) return undefined;
    one.set(sig, s);
  }
  const comparison = isComparison(op);
  const dropName = !delayedNameRemoval && returnBool;
  const matched = new Map<string, Set<string>>();
  const out: EvalSeries[] = [];
  for (const ms of manySide) {
    const sig = cache.signature(ms.metric, m);
    const os = one.get(sig);
    if (os === undefined) continue;
    const metric = resultMetric(ms.metric, os.metric, op, m, dropName);
    // One-to-one: one series per signature; many-to-one: distinct result label sets per signature.
    let results = matched.get(sig);
    if (results === undefined) matched.set(sig, (results = new Set()));
    else if (m.card === 'one-to-one' || results.has(metric.key())) return undefined;
    results.add(metric.key());
    const ts: number[] = [];
    const fs: number[] = [];
    let j = 0;
    for (let i = 0; i < ms.ts.length; i++) {
      const t = ms.ts[i]!;
      while (j < os.ts.length && os.ts[j]! < t) j++;
      if (j === os.ts.length) break;
      if (os.ts[j] !== t) continue;
      const l = oneToMany ? os.fs[j]! : ms.fs[i]!;
      const r = oneToMany ? ms.fs[i]! : os.fs[j]!;
      let v: number;
      if (!comparison) v = scalarBinop(op, l, r);
      else if (returnBool) v = comparisonHolds(op, l, r) ? 1 : 0;
      else if (comparisonHolds(op, l, r)) v = l;
      else continue;
      ts.push(t);
      fs.push(v);
    }
    if (ts.length > 0) out.push(evalSeries(metric, ts, fs, returnBool));
  }
  return out;
}

/**
 * `and` / `unless` / `or` series by series: a point of a left series survives `and` when a right
 * series with its signature has a point at that time, and `unless` when none has; `or` adds the
 * points of right series at times where no left series with their signature has one.
 */
export function setOperationSeries(op: 'and' | 'or' | 'unless', lhs: readonly EvalSeries[], rhs: readonly EvalSeries[], m: VectorMatching, cache: BinopCache): EvalSeries[] {
  const [kept, other] = op === 'or' ? [rhs, lhs] : [lhs, rhs];
  const timesBySig = new Map<string, Set<number>>();
  for (const s of other) {
    const sig = cache.signature(s.metric, m);
    let times = timesBySig.get(sig);
    if (times === undefined) timesBySig.set(sig, (times = new Set()));
    for (const t of s.ts) times.add(t);
  }
  const keepWhenPresent = op === 'and';
  const out: EvalSeries[] = op === 'or' ? [...lhs] : [];
  for (const s of kept) {
    const times = timesBySig.get(cache.signature(s.metric, m));
    if (times === undefined) {
      if (!keepWhenPresent) out.push(s);
      continue;
    }
    const ts: number[] = [];
    const fs: number[] = [];
    const hs = s.hs !== undefined ? new Array<FloatHistogram | undefined>() : undefined;
    for (let i = 0; i < s.ts.length; i++) {
      if (times.has(s.ts[i]!) !== keepWhenPresent) continue;
      ts.push(s.ts[i]!);
      fs.push(s.fs[i]!);
      hs?.push(s.hs![i]);
    }
    if (ts.length === 0) continue;
    out.push(evalSeries(s.metric, ts, fs, s.dropName, hs));
  }
  return out;
}
