import { execError } from '../../errors.js';
import { annotations } from '../../annotations.js';
import { kahanCompensation, quantileOfSorted } from '../math-util.js';
import { extendedRate, firstSampleIndex } from './extended-range.js';
import type { FunctionContext, RangeFunction, RangeWindow } from './types.js';

/**
 * rate/increase/delta with upstream's extrapolation (extrapolatedRate): the difference between the
 * first and last sample (counter resets corrected for counters), extrapolated towards the window
 * edges by at most half the average sample interval, and not below zero for counters.
 */
function extrapolatedRate(w: RangeWindow, isCounter: boolean, isRate: boolean): number | undefined {
  if (w.anchored || w.smoothed) return extendedRate(w, isCounter, isRate);
  const { ts, vs, lo, hi } = w;
  const n = hi - lo;
  if (n < 2) return undefined;
  const firstT = ts[lo]!;
  const lastT = ts[hi - 1]!;
  let result = vs[hi - 1]! - vs[lo]!;
  if (isCounter && w.mayReset) {
    for (let i = lo + 1; i < hi; i++) if (vs[i]! < vs[i - 1]!) result += vs[i - 1]!;
  }
  let durationToStart = (firstT - w.rangeStart) / 1000;
  let durationToEnd = (w.rangeEnd - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const avg = sampledInterval / (n - 1);
  const threshold = avg * 1.1;
  if (durationToStart >= threshold) durationToStart = avg / 2;
  if (isCounter) {
    let durationToZero = durationToStart;
    if (result > 0 && vs[lo]! >= 0) durationToZero = sampledInterval * (vs[lo]! / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= threshold) durationToEnd = avg / 2;
  let factor = sampledInterval !== 0 ? (sampledInterval + durationToStart + durationToEnd) / sampledInterval : 1;
  if (isRate) factor /= w.range / 1000;
  return result * factor;
}

function instantValue(w: RangeWindow, isRate: boolean): number | undefined {
  const { ts, vs, lo, hi } = w;
  if (hi - lo < 2) return undefined;
  const t0 = ts[hi - 2]!;
  const t1 = ts[hi - 1]!;
  const v0 = vs[hi - 2]!;
  const v1 = vs[hi - 1]!;
  const dt = t1 - t0;
  if (dt === 0) return undefined;
  let result = v1;
  if (!isRate || !(v1 < v0)) result = v1 - v0;
  if (isRate) result /= dt / 1000;
  return result;
}

/** Least squares over the window with times in seconds relative to `interceptTime` (upstream's linearRegression). */
function linearRegression(w: RangeWindow, interceptTime: number): [number, number] {
  const { ts, vs, lo, hi } = w;
  let n = 0;
  let sumX = 0, cX = 0, sumY = 0, cY = 0, sumXY = 0, cXY = 0, sumX2 = 0, cX2 = 0;
  const initY = vs[lo]!;
  let constY = true;
  for (let i = lo; i < hi; i++) {
    const f = vs[i]!;
    if (constY && i > lo && f !== initY) constY = false;
    n += 1;
    const x = (ts[i]! - interceptTime) / 1e3;
    cX = kahanCompensation(x, sumX, cX);
    sumX += x;
    cY = kahanCompensation(f, sumY, cY);
    sumY += f;
    cXY = kahanCompensation(x * f, sumXY, cXY);
    sumXY += x * f;
    cX2 = kahanCompensation(x * x, sumX2, cX2);
    sumX2 += x * x;
  }
  if (constY) {
    if (initY === Infinity || initY === -Infinity) return [NaN, NaN];
    return [0, initY];
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  return [slope, sumY / n - (slope * sumX) / n];
}

function avgOverTime(w: RangeWindow): number {
  const { vs, lo, hi } = w;
  let sum = vs[lo]!;
  let count = 1;
  let mean = 0;
  let c = 0;
  let incremental = false;
  for (let i = lo + 1; i < hi; i++) {
    const f = vs[i]!;
    count = i - lo + 1;
    if (!incremental) {
      const ns = sum + f;
      if (ns !== Infinity && ns !== -Infinity) {
        c = kahanCompensation(f, sum, c);
        sum = ns;
        continue;
      }
      incremental = true;
      mean = sum / (count - 1);
      c /= count - 1;
    }
    const q = (count - 1) / count;
    c = kahanCompensation(f / count, q * mean, q * c);
    mean = q * mean + f / count;
  }
  return incremental ? mean + c : sum / count + c / count;
}

function variance(w: RangeWindow): number {
  let count = 0, mean = 0, cMean = 0, aux = 0, cAux = 0;
  for (let i = w.lo; i < w.hi; i++) {
    const f = w.vs[i]!;
    count++;
    const delta = f - (mean + cMean);
    cMean = kahanCompensation(delta / count, mean, cMean);
    mean += delta / count;
    const inc = delta * (f - (mean + cMean));
    cAux = kahanCompensation(inc, aux, cAux);
    aux += inc;
  }
  return (aux + cAux) / count;
}

function compareOverTime(w: RangeWindow, better: (cur: number, best: number) => boolean, returnTs: boolean): number {
  let best = w.vs[w.lo]!;
  let bestT = w.ts[w.lo]!;
  for (let i = w.lo; i < w.hi; i++) {
    if (better(w.vs[i]!, best)) {
      best = w.vs[i]!;
      bestT = w.ts[i]!;
    }
  }
  return returnTs ? bestT / 1000 : best;
}

function sortedValues(w: RangeWindow): number[] {
  const out: number[] = [];
  for (let i = w.lo; i < w.hi; i++) out.push(w.vs[i]!);
  return out.sort((a, b) => (Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : Number.isNaN(b) ? 1 : a - b));
}

function doubleExponentialSmoothing(w: RangeWindow): number | undefined {
  const sf = w.scalars[0]!;
  const tf = w.scalars[1]!;
  if (!(sf > 0 && sf < 1)) throw execError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${sf.toFixed(6)}`);
  if (!(tf > 0 && tf < 1)) throw execError(`invalid trend factor. Expected: 0 < tf < 1, got: ${tf.toFixed(6)}`);
  const { vs, lo, hi } = w;
  if (hi - lo < 2) return undefined;
  let s0 = 0;
  let s1 = vs[lo]!;
  let b = vs[lo + 1]! - vs[lo]!;
  for (let i = 1; i < hi - lo; i++) {
    const x = sf * vs[lo + i]!;
    b = i - 1 === 0 ? b : tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}

/** The functions whose argument is a range vector, evaluated per series and step. */
export const RANGE_FUNCTIONS: Record<string, RangeFunction> = {
  rate: (w) => extrapolatedRate(w, true, true),
  increase: (w) => extrapolatedRate(w, true, false),
  delta: (w) => extrapolatedRate(w, false, false),
  irate: (w) => instantValue(w, true),
  idelta: (w) => instantValue(w, false),
  deriv: (w) => (w.hi - w.lo < 2 ? undefined : linearRegression(w, w.ts[w.lo]!)[0]),
  predict_linear: (w, ctx) => {
    if (w.hi - w.lo < 2) return undefined;
    const [slope, intercept] = linearRegression(w, ctx.ts);
    return slope * w.scalars[0]! + intercept;
  },
  avg_over_time: avgOverTime,
  count_over_time: (w) => w.hi - w.lo,
  sum_over_time: (w) => {
    let sum = 0;
    let c = 0;
    for (let i = w.lo; i < w.hi; i++) {
      c = kahanCompensation(w.vs[i]!, sum, c);
      sum += w.vs[i]!;
    }
    return sum === Infinity || sum === -Infinity ? sum : sum + c;
  },
  max_over_time: (w) => compareOverTime(w, (cur, best) => cur > best || Number.isNaN(best), false),
  min_over_time: (w) => compareOverTime(w, (cur, best) => cur < best || Number.isNaN(best), false),
  ts_of_max_over_time: (w) => compareOverTime(w, (cur, best) => cur >= best || Number.isNaN(best), true),
  ts_of_min_over_time: (w) => compareOverTime(w, (cur, best) => cur <= best || Number.isNaN(best), true),
  last_over_time: (w) => w.vs[w.hi - 1],
  first_over_time: (w) => w.vs[w.lo],
  ts_of_last_over_time: (w) => w.ts[w.hi - 1]! / 1000,
  ts_of_first_over_time: (w) => w.ts[w.lo]! / 1000,
  present_over_time: () => 1,
  absent_over_time: () => 1,
  stddev_over_time: (w) => Math.sqrt(variance(w)),
  stdvar_over_time: variance,
  quantile_over_time: (w, ctx: FunctionContext) => {
    const q = w.scalars[0]!;
    if (Number.isNaN(q) || q < 0 || q > 1) ctx.annotations.add(annotations.invalidQuantile(q, ctx.call.args[0]!.pos));
    return quantileOfSorted(q, sortedValues(w));
  },
  mad_over_time: (w) => {
    for (let i = w.lo; i < w.hi; i++) if (Number.isNaN(w.vs[i]!)) return NaN;
    const values = sortedValues(w);
    const median = quantileOfSorted(0.5, values);
    return quantileOfSorted(0.5, values.map((v) => Math.abs(v - median)).sort((a, b) => a - b));
  },
  changes: (w) => {
    const first = firstSampleIndex(w);
    if (first === undefined) return undefined;
    let changes = 0;
    for (let i = first + 1; i < w.hi; i++) {
      const cur = w.vs[i]!;
      const prev = w.vs[i - 1]!;
      if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) changes++;
    }
    return changes;
  },
  resets: (w) => {
    const first = firstSampleIndex(w);
    if (first === undefined) return undefined;
    let resets = 0;
    for (let i = first + 1; i < w.hi; i++) if (w.vs[i]! < w.vs[i - 1]!) resets++;
    return resets;
  },
  double_exponential_smoothing: doubleExponentialSmoothing,
};

/** Range functions that keep `__name__` (they act like an offset). */
export const NAME_KEEPING_RANGE_FUNCTIONS = new Set(['last_over_time', 'first_over_time']);
