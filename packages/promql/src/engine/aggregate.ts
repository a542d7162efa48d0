import type { Labels } from '@pyrometer/model';
import { formatGoFloat, goQuote, isValidLabelName } from '@pyrometer/model';
import { annotations } from '../annotations.js';
import { execError } from '../errors.js';
import type { AggregateExpr } from '../parser/index.js';
import { unwrapParens } from './eval-call.js';
import { aggregationInput, sumOrAvgWithHistograms } from './histogram-aggregate.js';
import { anyHistograms } from './histogram-points.js';
import { signature } from './labels-util.js';
import { type EvalSeries, evalSeries, type GrowingSeries } from './series-data.js';
import type { Evaluator } from './evaluator.js';
import { aggregateBySeries, aggregatesBySeries } from './aggregate-by-series.js';
import { aggregateK } from './aggregate-k.js';
import { quantileOfSorted } from './math-util.js';

/**
 * The grouping key of a series: `by` keeps the listed labels, `without` drops them and `__name__`.
 * For `by`, the values of the listed labels in order (an absent label reads as '', which no
 * present label's value is): with one label, the value itself, so the usual `sum by (job)` makes
 * no string per series; with more, each value length-prefixed, so no value can run into the next.
 */
function groupingKey(metric: Labels, grouping: readonly string[], without: boolean): string {
  if (!without) {
    if (grouping.length === 1) return metric.get(grouping[0]!);
    let key = '';
    for (const name of grouping) {
      const v = metric.get(name);
      key += `${v.length}:${v}`;
    }
    return key;
  }
  // `without`: the matching signature of every other label (the metric name left out).
  return signature(metric, grouping, false);
}

function groupingLabels(metric: Labels, grouping: readonly string[], without: boolean): Labels {
  if (without) return metric.without('__name__', ...grouping);
  return metric.keep(...grouping);
}

/** Per-step values of the aggregation parameter (k, q, ratio), or undefined when there is none. */
async function paramValues(ev: Evaluator, e: AggregateExpr): Promise<number[] | undefined> {
  if (e.param === undefined || e.op === 'count_values') return undefined;
  return ev.stepValues((await ev.eval(e.param)) as EvalSeries[]);
}

/** Evaluates an aggregation over every step (upstream's rangeEvalAgg, aggregation, aggregationK). */
export async function evalAggregate(ev: Evaluator, e: AggregateExpr): Promise<EvalSeries[]> {
  const grouping = [...e.grouping].sort();
  if (e.op === 'count_values') return countValues(ev, e, grouping);
  const params = await paramValues(ev, e);
  const ann = ev.shared.annotations;
  const input = aggregationInput(e, (await ev.eval(e.expr)) as EvalSeries[], ann);
  const pos = e.param?.pos;

  if (params !== undefined) {
    const finite = params.filter(notNaN);
    const max = finite.length ? Math.max(...finite) : NaN;
    const min = finite.length ? Math.min(...finite) : NaN;
    const anyNaN = finite.length !== params.length;
    switch (e.op) {
      case 'topk':
      case 'bottomk':
      case 'limitk':
        if (!(max >= 1) && !anyNaN) return [];
        if (anyNaN) throw execError('Parameter value is NaN');
        if (min <= -(2 ** 63)) throw execError(`Scalar value ${min} underflows int64`);
        if (max >= 2 ** 63) throw execError(`Scalar value ${max} overflows int64`);
        break;
      case 'limit_ratio':
        if (max === 0 && min === 0) return [];
        if (anyNaN) throw execError('Ratio value is NaN');
        if (max > 1) ann.add(annotations.invalidRatio(max, 1, pos));
        if (min < -1) ann.add(annotations.invalidRatio(min, -1, pos));
        break;
      case 'quantile':
        if (anyNaN) ann.add(annotations.invalidQuantile(NaN, pos));
        if (max > 1) ann.add(annotations.invalidQuantile(max, pos));
        if (min < 0) ann.add(annotations.invalidQuantile(min, pos));
        break;
      default:
        break;
    }
  }

  const groupIndex = new Map<string, number>();
  const seriesToGroup = new Array<number>(input.length);
  const outLabels: Labels[] = [];
  for (let i = 0; i < input.length; i++) {
    const metric = input[i]!.metric;
    const key = groupingKey(metric, grouping, e.without);
    let gi = groupIndex.get(key);
    if (gi === undefined) {
      gi = groupIndex.size;
      groupIndex.set(key, gi);
      outLabels.push(groupingLabels(metric, grouping, e.without));
    }
    seriesToGroup[i] = gi;
  }
  // Each series' next unread point: inputs hold at most one point per step, in step order.
  const cursors = new Int32Array(input.length);

  if (e.op === 'topk' || e.op === 'bottomk' || e.op === 'limitk' || e.op === 'limit_ratio') {
    return aggregateK(ev, e, input, seriesToGroup, groupIndex.size, params!, cursors);
  }
  if ((e.op === 'sum' || e.op === 'avg') && anyHistograms(input)) {
    return sumOrAvgWithHistograms(e, input, seriesToGroup, outLabels, ann, (floats) => aggregateFloats(ev, e, floats, seriesToGroup, outLabels, params, cursors));
  }
  return aggregateFloats(ev, e, input, seriesToGroup, outLabels, params, cursors);
}

/** The aggregation of float series (each mapped to its group's index in outLabels). */
function aggregateFloats(
  ev: Evaluator,
  e: AggregateExpr,
  input: readonly EvalSeries[],
  seriesToGroup: readonly number[],
  outLabels: readonly Labels[],
  params: number[] | undefined,
  cursors: Int32Array,
): EvalSeries[] {
  if (aggregatesBySeries(e.op)) return aggregateBySeries(ev, e.op, input, seriesToGroup, outLabels);
  if (e.op !== 'quantile') throw execError(`internal error: no evaluator for aggregation ${e.op}`);
  return quantileBySteps(ev, input, seriesToGroup, outLabels, params ?? [], cursors);
}

/** `quantile` step by step: each step's values of a group are gathered, sorted and interpolated. */
function quantileBySteps(ev: Evaluator, input: readonly EvalSeries[], seriesToGroup: readonly number[], outLabels: readonly Labels[], params: readonly number[], cursors: Int32Array): EvalSeries[] {
  const result: GrowingSeries[] = outLabels.map((metric) => evalSeries(metric, [], []));
  const values: number[][] = outLabels.map(() => []);
  let step = 0;
  for (let ts = ev.s.start; ts <= ev.s.end; ts += ev.s.interval, step++) {
    ev.checkAbort();
    for (const v of values) v.length = 0;
    for (let si = 0; si < input.length; si++) {
      const s = input[si]!;
      const k = cursors[si]!;
      if (s.ts[k] !== ts) continue;
      cursors[si] = k + 1;
      const gi = seriesToGroup[si]!;
      values[gi]!.push(s.fs[k]!);
      if (s.dropName === true) result[gi]!.dropName = true;
    }
    let produced = 0;
    const q = params[step] ?? NaN;
    values.forEach((v, gi) => {
      if (v.length === 0) return;
      const out = result[gi]!;
      out.ts.push(ts);
      out.fs.push(quantileOfSorted(q, v.sort(byValueNaNFirst)));
      produced++;
    });
    ev.addSamples(produced);
  }
  return result.filter((s) => s.ts.length > 0);
}

/** Go's sort order for quantile input: NaN sorts first. */
/** Whether `v` is not NaN (module-level: a closure made per query loses its optimized code, README "Closures on a query's path"). */
function notNaN(v: number): boolean {
  return !Number.isNaN(v);
}

function byValueNaNFirst(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a - b;
}

async function countValues(ev: Evaluator, e: AggregateExpr, grouping: string[]): Promise<EvalSeries[]> {
  const param = e.param === undefined ? undefined : unwrapParens(e.param);
  const valueLabel = param?.type === 'StringLiteral' ? param.value : '';
  if (!isValidLabelName(valueLabel)) throw execError(`invalid label name ${goQuote(valueLabel)}`);
  const g = e.without ? grouping : [...grouping, valueLabel].sort();
  return ev.rangeEval([e.expr], (v) => {
    const groups = new Map<string, { metric: Labels; count: number }>();
    for (const s of v[0]!) {
      const metric = s.metric.builder().set(valueLabel, s.h !== undefined ? s.h.toString() : formatGoFloat(s.f, 'f')).labels();
      const key = groupingKey(metric, g, e.without);
      const grp = groups.get(key);
      if (grp === undefined) groups.set(key, { metric: groupingLabels(metric, g, e.without), count: 1 });
      else grp.count++;
    }
    return [...groups.values()].map((x) => ({ metric: x.metric, t: 0, f: x.count }));
  }, true, undefined);
}
