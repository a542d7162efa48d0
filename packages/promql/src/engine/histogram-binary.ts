import { ErrHistogramsIncompatibleSchema, type CombineResult, CounterResetHint, type FloatHistogram } from '@pyrometer/model';
import { annotations, type Annotations } from '../annotations.js';
import type { BinaryOp, PositionRange } from '../parser/index.js';
import type { StepScalar } from './binary-series.js';
import type { EvalSeries } from './series-data.js';

/** The outcome of one element of a binary operation with a histogram operand. */
export interface HistogramElemResult {
  readonly f: number;
  readonly h: FloatHistogram | undefined;
  /** For comparisons: whether the element passes (the value is then the left operand). */
  readonly keep: boolean;
}

/** Where a histogram binary operation reports what it cannot compute. */
export interface BinopSite {
  readonly annotations: Annotations;
  readonly pos: PositionRange;
}

const typeName = (h: FloatHistogram | undefined): string => (h === undefined ? 'float' : 'histogram');

/**
 * `l op r` where at least one side is a native histogram (upstream's vectorElemBinop): a histogram
 * times or divided by a float scales it, histograms add and subtract (a difference is a gauge),
 * `==`/`!=` compare histograms exactly; every other pairing is an incompatible-types info and
 * yields nothing (undefined), as does a sum of exponential and custom-bucket histograms (warned).
 */
export function histogramElemBinop(op: BinaryOp, lf: number, lh: FloatHistogram | undefined, rf: number, rh: FloatHistogram | undefined, site: BinopSite): HistogramElemResult | undefined {
  if (lh === undefined && rh !== undefined) {
    if (op === '*') return { f: 0, h: rh.copy().mul(lf).compact(0), keep: true };
  } else if (lh !== undefined && rh === undefined) {
    if (op === '*') return { f: 0, h: lh.copy().mul(rf).compact(0), keep: true };
    if (op === '/') return { f: 0, h: lh.copy().div(rf).compact(0), keep: true };
  } else if (lh !== undefined && rh !== undefined) {
    if (op === '+' || op === '-') return combine(op, lh, rh, site);
    if (op === '==') return { f: 0, h: lh, keep: lh.equals(rh) };
    if (op === '!=') return { f: 0, h: lh, keep: !lh.equals(rh) };
  }
  site.annotations.add(annotations.incompatibleTypesInBinOp(typeName(lh), op, typeName(rh), site.pos));
  return undefined;
}

function combine(op: '+' | '-', lh: FloatHistogram, rh: FloatHistogram, site: BinopSite): HistogramElemResult | undefined {
  const res = lh.copy();
  let how: CombineResult;
  try {
    how = op === '+' ? res.add(rh) : res.sub(rh);
  } catch (err) {
    if (err !== ErrHistogramsIncompatibleSchema) throw err;
    site.annotations.add(annotations.incompatibleBucketLayoutInBinOp(op, site.pos));
    return undefined;
  }
  const operation = op === '+' ? 'addition' : 'subtraction';
  if (op === '-') res.counterResetHint = CounterResetHint.Gauge;
  if (how.counterResetCollision) site.annotations.add(annotations.histogramCounterResetCollision(operation, site.pos));
  if (how.nhcbBoundsReconciled) site.annotations.add(annotations.mismatchedCustomBuckets(operation, site.pos));
  return { f: 0, h: res.compact(0), keep: true };
}

/**
 * The points of `series op scalar` (`scalar op series` with `swap`) for a series with histogram
 * points: float points through `floatPoint` (the value, or undefined when a comparison filters it
 * out), histogram points through {@link histogramElemBinop}. A comparison keeps the series' own
 * value; with `returnBool` it yields 1 or 0 instead.
 */
export function withHistogramPoints(
  s: EvalSeries,
  op: BinaryOp,
  scalar: StepScalar,
  constant: number | undefined,
  swap: boolean,
  returnBool: boolean,
  site: BinopSite,
  floatPoint: (l: number, r: number, f: number) => number | undefined,
): { ts: number[]; fs: number[]; hs: (FloatHistogram | undefined)[] } {
  const ts: number[] = [];
  const fs: number[] = [];
  const hs: (FloatHistogram | undefined)[] = [];
  for (let k = 0; k < s.ts.length; k++) {
    const t = s.ts[k]!;
    const x = constant ?? scalar.values[Math.round((t - scalar.start) / scalar.interval)]!;
    const f = s.fs[k]!;
    const h = s.hs![k];
    if (h === undefined) {
      const v = floatPoint(swap ? x : f, swap ? f : x, f);
      if (v === undefined) continue;
      ts.push(t);
      fs.push(v);
      hs.push(undefined);
      continue;
    }
    const res = swap ? histogramElemBinop(op, x, undefined, 0, h, site) : histogramElemBinop(op, 0, h, x, undefined, site);
    if (res === undefined) continue;
    ts.push(t);
    fs.push(returnBool ? (res.keep ? 1 : 0) : 0);
    hs.push(returnBool ? undefined : res.h);
  }
  return { ts, fs, hs };
}
