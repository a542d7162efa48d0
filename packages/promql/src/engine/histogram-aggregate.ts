import { CounterResetHint, ErrHistogramsIncompatibleSchema, type FloatHistogram, type Labels } from '@pyrometer/model';
import { annotations, type Annotations } from '../annotations.js';
import type { AggregateExpr } from '../parser/index.js';
import { anyHistograms, floatPointsOnly } from './histogram-points.js';
import { type EvalSeries, evalSeries } from './series-data.js';

/** Aggregations that skip histogram samples, saying so with an info annotation. */
const IGNORING_HISTOGRAMS = new Set(['min', 'max', 'topk', 'bottomk', 'quantile', 'stddev', 'stdvar']);

/**
 * What an aggregation's float code sees of its input (one check per series when there is no
 * histogram): `count` and `group` count a histogram sample as present (its value unused, so it
 * becomes a float point); `min`, `max`, `topk`, `bottomk`, `quantile`, `stddev` and `stdvar` skip
 * histogram samples with upstream's "ignored histogram" info at the aggregated expression; `sum`
 * and `avg` keep them (see sumOrAvgWithHistograms); the others do not take histograms yet and see
 * the float points only.
 */
export function aggregationInput(e: AggregateExpr, input: EvalSeries[], ann: Annotations): EvalSeries[] {
  if (!anyHistograms(input)) return input;
  if (e.op === 'count' || e.op === 'group') return input.map((s) => evalSeries(s.metric, s.ts, s.fs, s.dropName));
  if (e.op === 'sum' || e.op === 'avg') return input; // see sumOrAvgWithHistograms
  if (IGNORING_HISTOGRAMS.has(e.op) && input.some((s) => s.hs?.some((h) => h !== undefined))) {
    ann.add(annotations.histogramIgnoredInAggregation(e.op, e.expr.pos));
  }
  return floatPointsOnly(input);
}

/** One group's histograms at one step. */
interface HistogramGroupStep {
  sum: FloatHistogram | undefined;
  count: number;
  resetSeen: boolean;
  notResetSeen: boolean;
  incompatible: boolean;
}

/**
 * `sum` or `avg` over input with histogram points (upstream's aggregation): the float points go
 * through the float aggregation (`floatAggregate`, given the float points only), the histogram
 * points of each group and step are added here (`avg` divides by their number); a group with
 * both kinds at a step yields nothing there, with upstream's mixed-types warning. Conflicting
 * counter reset hints and custom bounds reconciled are annotated; exponential and custom-bucket
 * histograms in one group give an incompatible-layout warning and no value.
 */
export function sumOrAvgWithHistograms(
  e: AggregateExpr,
  input: EvalSeries[],
  seriesToGroup: readonly number[],
  outLabels: readonly Labels[],
  ann: Annotations,
  floatAggregate: (floats: EvalSeries[]) => EvalSeries[],
): EvalSeries[] {
  const floats = floatAggregate(floatPointsOnly(input, true));
  const byGroupStep = new Map<number, Map<number, HistogramGroupStep>>();
  const dropName = new Set<number>();
  input.forEach((s, si) => {
    if (s.hs === undefined) return;
    const g = seriesToGroup[si]!;
    let steps = byGroupStep.get(g);
    for (let k = 0; k < s.ts.length; k++) {
      const h = s.hs[k];
      if (h === undefined) continue;
      if (s.dropName === true) dropName.add(g);
      if (steps === undefined) byGroupStep.set(g, (steps = new Map()));
      let acc = steps.get(s.ts[k]!);
      if (acc === undefined) steps.set(s.ts[k]!, (acc = { sum: undefined, count: 0, resetSeen: false, notResetSeen: false, incompatible: false }));
      addToGroup(acc, h, s.metric.metricName, e, ann);
    }
  });
  const floatByKey = new Map(floats.map((s) => [s.metric.key(), s]));
  const out: EvalSeries[] = [];
  for (const [g, steps] of byGroupStep) {
    const metric = outLabels[g]!;
    const floatSeries = floatByKey.get(metric.key());
    const floatTimes = new Set(floatSeries?.ts ?? []);
    const ts: number[] = [];
    const hs: FloatHistogram[] = [];
    for (const [t, acc] of [...steps].sort((a, b) => a[0] - b[0])) {
      if (floatTimes.has(t)) {
        ann.add(annotations.mixedFloatsHistogramsAggregation(e.expr.pos));
        dropFloatPoint(floatSeries!, t);
        continue;
      }
      if (acc.incompatible || acc.sum === undefined) continue;
      if (acc.resetSeen && acc.notResetSeen) ann.add(annotations.histogramCounterResetCollision('aggregation', e.expr.pos));
      ts.push(t);
      hs.push((e.op === 'avg' ? acc.sum.div(acc.count) : acc.sum).compact(0));
    }
    if (ts.length === 0) continue;
    const series = evalSeries(metric, ts, ts.map(() => 0), dropName.has(g), hs);
    if (floatSeries === undefined) out.push(series);
    else merge(floatSeries, series);
  }
  return [...floats.filter((s) => s.ts.length > 0), ...out];
}

function addToGroup(acc: HistogramGroupStep, h: FloatHistogram, metricName: string, e: AggregateExpr, ann: Annotations): void {
  acc.count++;
  if (h.counterResetHint === CounterResetHint.CounterReset) acc.resetSeen = true;
  if (h.counterResetHint === CounterResetHint.NotCounterReset) acc.notResetSeen = true;
  if (acc.incompatible) return;
  if (acc.sum === undefined) {
    acc.sum = h.copy();
    return;
  }
  try {
    if (acc.sum.add(h).nhcbBoundsReconciled) ann.add(annotations.mismatchedCustomBuckets('aggregation', e.expr.pos));
  } catch (err) {
    if (err !== ErrHistogramsIncompatibleSchema) throw err;
    acc.incompatible = true;
    ann.add(annotations.mixedExponentialCustomHistograms(metricName, e.expr.pos));
  }
}

function dropFloatPoint(s: EvalSeries, t: number): void {
  const i = s.ts.indexOf(t);
  s.ts = [...s.ts.slice(0, i), ...s.ts.slice(i + 1)];
  s.fs = [...s.fs.slice(0, i), ...s.fs.slice(i + 1)];
}

/** Adds a group's histogram points to its float series (times never collide: mixed steps were dropped). */
function merge(floatSeries: EvalSeries, h: EvalSeries): void {
  const points = Array.from(floatSeries.ts, (t, i) => ({ t, f: floatSeries.fs[i]!, h: undefined as FloatHistogram | undefined }));
  h.ts.forEach((t, i) => points.push({ t, f: 0, h: h.hs![i] }));
  points.sort((a, b) => a.t - b.t);
  floatSeries.ts = points.map((p) => p.t);
  floatSeries.fs = points.map((p) => p.f);
  floatSeries.hs = points.map((p) => p.h);
  if (h.dropName) floatSeries.dropName = true;
}
