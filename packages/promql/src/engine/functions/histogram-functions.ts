import type { FloatHistogram } from '@pyrometer/model';
import type { Sample } from '../../value.js';
import { dropMetricName } from '../labels-util.js';
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
 * The functions over instant vectors that read native histograms (their input keeps histogram
 * samples; every other function sees float samples only).
 */
export const HISTOGRAM_FUNCTIONS: Readonly<Record<string, VectorFunction>> = {
  histogram_count: ofHistogram((h) => h.count),
  histogram_sum: ofHistogram((h) => h.sum),
  histogram_avg: ofHistogram((h) => h.sum / h.count),
  histogram_quantile: histogramQuantile,
  histogram_fraction: histogramFraction,
};
