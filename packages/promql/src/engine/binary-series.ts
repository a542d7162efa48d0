import type { FloatHistogram } from '@pyrometer/model';
import type { BinaryOp, VectorMatching } from '../parser/index.js';
import { changesMetricSchema, comparisonHolds, isComparison, resultMetric, scalarBinop, type BinopCache } from './binary.js';
import { withHistogramPoints, type BinopSite } from './histogram-binary.js';
import { dropMetricName } from './labels-util.js';
import type { EvalSeries, NumberColumn } from './series-data.js';

/** The scalar side of `vector op scalar`: its value at every step of the evaluator's grid. */
export interface StepScalar {
  readonly values: readonly number[];
  readonly start: number;
  readonly interval: number;
}

type PointOp = (l: number, r: number) => number;
type PointTest = (l: number, r: number) => boolean;

/** Comparisons and arithmetic as small monomorphic functions, chosen once per operation instead of switching on the operator at every point. */
const TESTS: Partial<Record<BinaryOp, PointTest>> = {
  '==': (l, r) => l === r,
  '!=': (l, r) => l !== r,
  '>': (l, r) => l > r,
  '<': (l, r) => l < r,
  '>=': (l, r) => l >= r,
  '<=': (l, r) => l <= r,
};
const ARITHMETIC: Partial<Record<BinaryOp, PointOp>> = {
  '+': (l, r) => l + r,
  '-': (l, r) => l - r,
  '*': (l, r) => l * r,
  '/': (l, r) => l / r,
  '%': (l, r) => l % r,
};

/**
 * `vector op scalar` (or `scalar op vector` with `swap`) over whole series at once: the label
 * sets of a vector are the same at every step, so each series is handled once with a loop over
 * its points, where upstream's VectorscalarBinop runs per step. The operator is resolved once, a
 * scalar that is the same at every step (a literal) is read once, and the output arrays are sized
 * for every point and cut to what is kept. The result may hold equal label sets (after name
 * removal); the caller merges them.
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
  const test = isComparison(op) ? (TESTS[op] ?? ((l: number, r: number) => comparisonHolds(op, l, r))) : undefined;
  const apply = ARITHMETIC[op] ?? ((l: number, r: number) => scalarBinop(op, l, r));
  const dropsName = changesMetricSchema(op) || returnBool;
  const { values, start, interval } = scalar;
  const constant = values.every((v) => Object.is(v, values[0])) ? values[0] : undefined;
  // Arithmetic and `bool` keep every point: their series share the input's timestamps (never
  // written in place). A filtering comparison writes the times it keeps into arrays allocated at
  // its first kept point (a filter often keeps nothing of most series).
  const shared = test === undefined || returnBool;
  const out: EvalSeries[] = [];
  for (const s of mat) {
    const n = s.ts.length;
    let ts: NumberColumn | undefined = shared ? s.ts : undefined;
    let ownTs: number[] | undefined;
    let fs: number[] | undefined;
    let kept = 0;
    // A series with native histogram points goes point by point through the histogram rules.
    const hs = s.hs !== undefined ? withHistogramPoints(s, op, scalar, constant, swap, returnBool, site, (l, r, f) => (test === undefined ? apply(l, r) : returnBool ? (test(l, r) ? 1 : 0) : test(l, r) ? f : undefined)) : undefined;
    if (hs !== undefined) {
      if (hs.ts.length === 0) continue;
      const named = dropsName ? { metric: delayedNameRemoval ? s.metric : dropMetricName(s.metric), dropName: true } : s.dropName ? { metric: s.metric, dropName: true } : { metric: s.metric };
      out.push({ ...named, ...hs });
      continue;
    }
    for (let k = 0; k < n; k++) {
      const t = s.ts[k]!;
      const x = constant ?? values[Math.round((t - start) / interval)]!;
      const f = s.fs[k]!;
      const l = swap ? x : f;
      const r = swap ? f : x;
      let v: number;
      if (test === undefined) v = apply(l, r);
      else if (returnBool) v = test(l, r) ? 1 : 0;
      else if (test(l, r)) v = f;
      else continue;
      if (fs === undefined) {
        fs = new Array<number>(n);
        if (!shared) ts = ownTs = new Array<number>(n);
      }
      if (ownTs !== undefined) ownTs[kept] = t;
      fs[kept] = v;
      kept++;
    }
    if (kept === 0 || ts === undefined || fs === undefined) continue;
    if (ownTs !== undefined) ownTs.length = kept;
    fs.length = kept;
    if (dropsName) out.push({ metric: delayedNameRemoval ? s.metric : dropMetricName(s.metric), ts, fs, dropName: true });
    else out.push(s.dropName ? { metric: s.metric, ts, fs, dropName: true } : { metric: s.metric, ts, fs });
  }
  return out;
}

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
    if (ts.length > 0) out.push(returnBool ? { metric, ts, fs, dropName: true } : { metric, ts, fs });
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
    const series: EvalSeries = s.dropName ? { metric: s.metric, ts, fs, dropName: true } : { metric: s.metric, ts, fs };
    if (hs !== undefined) series.hs = hs;
    out.push(series);
  }
  return out;
}
