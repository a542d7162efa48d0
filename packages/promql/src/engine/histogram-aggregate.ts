import { annotations, type Annotations } from '../annotations.js';
import type { AggregateExpr } from '../parser/index.js';
import { floatPointsOnly } from './histogram-points.js';
import type { EvalSeries } from './series-data.js';

/** Aggregations that skip histogram samples, saying so with an info annotation. */
const IGNORING_HISTOGRAMS = new Set(['min', 'max', 'topk', 'bottomk', 'quantile', 'stddev', 'stdvar']);

/**
 * What an aggregation's float code sees of its input (one check per series when there is no
 * histogram): `count` and `group` count a histogram sample as present (its value unused, so it
 * becomes a float point); `min`, `max`, `topk`, `bottomk`, `quantile`, `stddev` and `stdvar` skip
 * histogram samples with upstream's "ignored histogram" info at the aggregated expression; the
 * others do not take histograms yet and see the float points only.
 */
export function aggregationInput(e: AggregateExpr, input: EvalSeries[], ann: Annotations): EvalSeries[] {
  if (!input.some((s) => s.hs !== undefined)) return input;
  if (e.op === 'count' || e.op === 'group') return input.map(({ hs: _ignored, ...floats }) => floats);
  if (IGNORING_HISTOGRAMS.has(e.op) && input.some((s) => s.hs?.some((h) => h !== undefined))) {
    ann.add(annotations.histogramIgnoredInAggregation(e.op, e.expr.pos));
  }
  return floatPointsOnly(input);
}
