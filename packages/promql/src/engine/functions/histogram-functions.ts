import type { FloatHistogram } from '@pyrometer/model';
import type { Sample } from '../../value.js';
import { dropMetricName } from '../labels-util.js';
import { kahanCompensation } from '../math-util.js';
import { histogramFraction, histogramQuantile } from './histogram-quantile.js';
import type { VectorFunction } from './types.js';

/** A function of each native histogram sample's histogram; float samples are ignored (upstream's histogram_* functions). */
function ofHistogram(f: (h: FloatHistogram) => number): VectorFunction {
  return (args, ctx) => {
    const out: Sample[] = [];
    for (const s of args[0]!) {
      if (s.h === undefined) continue;
      out.push({ metric: ctx.delayedNameRemoval ? s.metric : dropMetricName(s.metric), t: s.t, f: f(s.h), dropName: true });
    }
    return out;
  };
}

/**
 * The variance of a histogram's observations estimated from its buckets (upstream's
 * histogramVariance): each bucket counts at its geometric mean (exponential buckets, sign kept),
 * 0 (the zero bucket) or its arithmetic mean (custom buckets), Kahan-summed around the mean.
 */
function variance(h: FloatHistogram): number {
  const mean = h.sum / h.count;
  let sum = 0;
  let c = 0;
  for (const b of h.allBuckets()) {
    if (b.count === 0) continue;
    let v: number;
    if (h.usesCustomBuckets()) v = (b.upper + b.lower) / 2;
    else if (b.lower <= 0 && b.upper >= 0) v = 0;
    else v = b.upper < 0 ? -Math.sqrt(b.upper * b.lower) : Math.sqrt(b.upper * b.lower);
    const delta = v - mean;
    const inc = b.count * delta * delta;
    c = kahanCompensation(inc, sum, c);
    sum += inc;
  }
  return (sum + c) / h.count;
}

/**
 * The functions over instant vectors that read native histograms (their input keeps histogram
 * samples; every other function sees float samples only).
 */
export const HISTOGRAM_FUNCTIONS: Readonly<Record<string, VectorFunction>> = {
  histogram_count: ofHistogram((h) => h.count),
  histogram_sum: ofHistogram((h) => h.sum),
  histogram_avg: ofHistogram((h) => h.sum / h.count),
  histogram_stdvar: ofHistogram(variance),
  histogram_stddev: ofHistogram((h) => Math.sqrt(variance(h))),
  histogram_quantile: histogramQuantile,
  histogram_fraction: histogramFraction,
};
