import type { Labels } from '@pyrometer/model';
import { annotations } from '../annotations.js';
import type { Call } from '../parser/index.js';
import type { Evaluator } from './evaluator.js';
import type { RangeFunction } from './functions/types.js';
import type { WindowCursor } from './functions/window-cursor.js';
import { dropMetricName, sameReservedLabels } from './labels-util.js';
import { firstPoints } from './range-columns.js';
import { type EvalSeries, evalSeries, type LoadedSeries, type LoadedSeriesSink } from './series-data.js';

/** Sample arrays of one series for range windows (staleness markers removed). */
export interface WindowSource {
  readonly metric: Labels;
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  readonly dropName: boolean;
}

/** How a range function's pass treats its series. */
export interface RangeFunctionPassOptions {
  /** The function keeps the metric name (e.g. `last_over_time`). */
  readonly keepsName: boolean;
  /** The function corrects counter resets (`rate`, `increase`). */
  readonly counterFunction: boolean;
  /** The sources are the series of one select, whose label sets are distinct. */
  readonly fromOneSelect: boolean;
}

/**
 * One range function call's pass over its input, a series at a time ({@link series}): the output
 * series in {@link out}. A class rather than a closure made per query: V8 keeps the optimized code
 * of a closure only until the next full collection, and this body, run for every input series, was
 * compiled again and again (README, "Closures on a query's path").
 */
export class RangeFunctionPass implements LoadedSeriesSink {
  readonly out: EvalSeries[] = [];
  /**
   * Whether the output's label sets are known to be distinct: the series of one select have
   * distinct label sets, and dropping the name keeps them distinct when they all have the same
   * name (and metadata labels). Then the caller's same-labelset check, a hash of every output
   * series, has nothing to find.
   */
  distinctOutput: boolean;
  private firstMetric: Labels | undefined;
  /** The metric name last checked for the possible-non-counter info. */
  private counterChecked: string | undefined;

  constructor(
    private readonly ev: Evaluator,
    private readonly call: Call,
    private readonly fn: RangeFunction,
    private readonly cursor: WindowCursor,
    private readonly options: RangeFunctionPassOptions,
  ) {
    this.distinctOutput = options.fromOneSelect;
  }

  /** Runs the function over the windows of one series a selection loaded (not renamed: it comes from one selector). */
  loaded(ls: LoadedSeries): void {
    this.series({ metric: ls.labels, ts: ls.ts, vs: ls.vs, dropName: false });
  }

  /** Runs the function over the windows of one input series. */
  series(src: WindowSource): void {
    const { ev, cursor } = this;
    const { keepsName, counterFunction } = this.options;
    ev.checkAbort();
    if (this.distinctOutput) this.distinctOutput = sameReservedLabels((this.firstMetric ??= src.metric), src.metric);
    const dropName = !keepsName || src.dropName;
    const metric = !ev.s.delayedNameRemoval && dropName ? dropMetricName(src.metric) : src.metric;
    const values = ev.columns.column(ev.numSteps);
    cursor.reset(src.metric, src.ts, src.vs, !counterFunction || hasDecrease(src.vs), values);
    this.fn(cursor);
    ev.shared.stats.totalSamples += cursor.samples;
    const n = cursor.n;
    if (n === 0) return;
    ev.addSamples(n);
    const outTs = ev.seriesTimes(cursor.times, n);
    const fs = firstPoints(values, n);
    this.out.push(evalSeries(metric, outTs, fs, dropName));
    if (counterFunction) {
      // Once per metric name (a selection's series mostly share one): the annotations keep one per message anyway.
      const metricName = src.metric.metricName;
      if (metricName !== this.counterChecked && metricName !== '' && !/(_total|_sum|_count|_bucket)$/.test(metricName)) {
        ev.shared.annotations.add(annotations.possibleNonCounter(metricName, this.call.args[0]!.pos));
      }
      this.counterChecked = metricName;
    }
  }
}

/** Whether some value is below the one before it (NaN never is, as in the reset check). */
function hasDecrease(vs: ArrayLike<number>): boolean {
  for (let i = 1; i < vs.length; i++) if (vs[i]! < vs[i - 1]!) return true;
  return false;
}
