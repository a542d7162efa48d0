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

/** The time, in seconds, of the window's sample that `better` keeps over every other. */
function timeOfExtreme(w: RangeWindow, better: (cur: number, best: number) => boolean): number {
  let best = w.vs[w.lo]!;
  let bestT = w.ts[w.lo]!;
  for (let i = w.lo; i < w.hi; i++) {
    if (better(w.vs[i]!, best)) {
      best = w.vs[i]!;
      bestT = w.ts[i]!;
    }
  }
  return bestT / 1000;
}

/** ts_of_max_over_time's and ts_of_min_over_time's comparisons: the last of equal extremes wins, NaN loses to any number. */
const atLeast = (cur: number, best: number): boolean => cur >= best || Number.isNaN(best);
const atMost = (cur: number, best: number): boolean => cur <= best || Number.isNaN(best);

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

function predictLinear(w: RangeWindow, ctx: FunctionContext): number | undefined {
  if (w.hi - w.lo < 2) return undefined;
  const [slope, intercept] = linearRegression(w, ctx.ts);
  return slope * w.scalars[0]! + intercept;
}

function sumOverTime(w: RangeWindow): number {
  let sum = 0;
  let c = 0;
  for (let i = w.lo; i < w.hi; i++) {
    c = kahanCompensation(w.vs[i]!, sum, c);
    sum += w.vs[i]!;
  }
  return sum === Infinity || sum === -Infinity ? sum : sum + c;
}

function quantileOverTime(w: RangeWindow, ctx: FunctionContext): number {
  const q = w.scalars[0]!;
  if (Number.isNaN(q) || q < 0 || q > 1) ctx.annotations.add(annotations.invalidQuantile(q, ctx.call.args[0]!.pos));
  return quantileOfSorted(q, sortedValues(w));
}

function madOverTime(w: RangeWindow): number {
  for (let i = w.lo; i < w.hi; i++) if (Number.isNaN(w.vs[i]!)) return NaN;
  const values = sortedValues(w);
  const median = quantileOfSorted(0.5, values);
  return quantileOfSorted(0.5, values.map((v) => Math.abs(v - median)).sort((a, b) => a - b));
}

function changes(w: RangeWindow): number | undefined {
  const first = firstSampleIndex(w);
  if (first === undefined) return undefined;
  let count = 0;
  for (let i = first + 1; i < w.hi; i++) {
    const cur = w.vs[i]!;
    const prev = w.vs[i - 1]!;
    if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) count++;
  }
  return count;
}

function resets(w: RangeWindow): number | undefined {
  const first = firstSampleIndex(w);
  if (first === undefined) return undefined;
  let count = 0;
  for (let i = first + 1; i < w.hi; i++) if (w.vs[i]! < w.vs[i - 1]!) count++;
  return count;
}

/**
 * The functions whose argument is a range vector. Each runs its own step loop over the cursor's
 * windows (see {@link WindowCursor}): written out per function, not through a shared helper, so
 * that V8 compiles every loop with one function's body in it (see {@link RangeFunction}).
 */
export const RANGE_FUNCTIONS: Record<string, RangeFunction> = {
  rate: (c) => {
    while (c.next()) c.put(extrapolatedRate(c, true, true));
  },
  increase: (c) => {
    while (c.next()) c.put(extrapolatedRate(c, true, false));
  },
  delta: (c) => {
    while (c.next()) c.put(extrapolatedRate(c, false, false));
  },
  irate: (c) => {
    while (c.next()) c.put(instantValue(c, true));
  },
  idelta: (c) => {
    while (c.next()) c.put(instantValue(c, false));
  },
  deriv: (c) => {
    while (c.next()) c.put(c.hi - c.lo < 2 ? undefined : linearRegression(c, c.ts[c.lo]!)[0]);
  },
  predict_linear: (c) => {
    while (c.next()) c.put(predictLinear(c, c.ctx));
  },
  avg_over_time: (c) => {
    while (c.next()) c.put(avgOverTime(c));
  },
  count_over_time: (c) => {
    while (c.next()) c.put(c.hi - c.lo);
  },
  sum_over_time: (c) => {
    while (c.next()) c.put(sumOverTime(c));
  },
  max_over_time: (c) => {
    const sliding = c.extremes(true);
    while (c.next()) c.put(sliding.extreme(c.lo, c.hi));
  },
  min_over_time: (c) => {
    const sliding = c.extremes(false);
    while (c.next()) c.put(sliding.extreme(c.lo, c.hi));
  },
  ts_of_max_over_time: (c) => {
    while (c.next()) c.put(timeOfExtreme(c, atLeast));
  },
  ts_of_min_over_time: (c) => {
    while (c.next()) c.put(timeOfExtreme(c, atMost));
  },
  last_over_time: (c) => {
    while (c.next()) c.put(c.vs[c.hi - 1]);
  },
  first_over_time: (c) => {
    while (c.next()) c.put(c.vs[c.lo]);
  },
  ts_of_last_over_time: (c) => {
    while (c.next()) c.put(c.ts[c.hi - 1]! / 1000);
  },
  ts_of_first_over_time: (c) => {
    while (c.next()) c.put(c.ts[c.lo]! / 1000);
  },
  present_over_time: (c) => {
    while (c.next()) c.put(1);
  },
  absent_over_time: (c) => {
    while (c.next()) c.put(1);
  },
  stddev_over_time: (c) => {
    while (c.next()) c.put(Math.sqrt(variance(c)));
  },
  stdvar_over_time: (c) => {
    while (c.next()) c.put(variance(c));
  },
  quantile_over_time: (c) => {
    while (c.next()) c.put(quantileOverTime(c, c.ctx));
  },
  mad_over_time: (c) => {
    while (c.next()) c.put(madOverTime(c));
  },
  changes: (c) => {
    while (c.next()) c.put(changes(c));
  },
  resets: (c) => {
    while (c.next()) c.put(resets(c));
  },
  double_exponential_smoothing: (c) => {
    while (c.next()) c.put(doubleExponentialSmoothing(c));
  },
};

/** Range functions that keep `__name__` (they act like an offset). */
export const NAME_KEEPING_RANGE_FUNCTIONS = new Set(['last_over_time', 'first_over_time']);
