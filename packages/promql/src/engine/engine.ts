import type { Queryable } from '@pyrometer/storage';
import { Annotations, type Annotation } from '../annotations.js';
import { PromQLError } from '../errors.js';
import type { Expr } from '../parser/index.js';
import { inspect, parseExpr, valueTypeOf } from '../parser/index.js';
import type { FPoint, HPoint, Sample, Series, Value } from '../value.js';
import type { EvalSeries } from './series-data.js';
import { resolveDurations, type ResolvedDurations } from './durations.js';
import { Evaluator, selectorKey, type SharedState } from './evaluator.js';
import { mergeSameLabelsets } from './same-labelsets.js';
import { dropMetricName } from './labels-util.js';
import { matrixSeries } from './matrix-series.js';
import { defaultEngineOptions, type EngineOptions } from './options.js';
import { Labels } from '@pyrometer/model';

/** Figures about one execution, as the HTTP API's `stats` object (timings in seconds). */
export interface QueryStats {
  timings: { evalTotalTime: number; resultSortTime: number; queryPreparationTime: number; innerEvalTime: number; execQueueTime: number; execTotalTime: number };
  samples: { totalQueryableSamples: number; peakSamples: number };
}

/** The outcome of a successful execution. `warnings`/`infos` carry positions (` (1:6)`) as the API shows them. */
export interface QueryResult {
  value: Value;
  warnings: string[];
  infos: string[];
  /** The same annotations unformatted (messages without positions). */
  annotations: Annotation[];
  stats: QueryStats;
}

/**
 * What `exec` polls for cancellation: an `AbortSignal`, or any object whose `aborted` turns true
 * (a query worker reads a shared-memory cell, because a message cannot reach a thread that is
 * busy evaluating). Read at every node and per series or step in the evaluation loops.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  /**
   * Why the query stops once `aborted`: a {@link PromQLError} is thrown as it is (a query worker's
   * heap guard fails the query as using too much memory); anything else fails it as canceled.
   */
  readonly reason?: unknown;
  /**
   * Optional, for a signal that watches memory: whether the query may allocate `bytes` at once.
   * Asked before the engine builds a value whose size the query text chose (a label value of
   * label_replace or label_join, which can multiply at every nesting); false turns the signal
   * `aborted` with its `reason`.
   */
  fits?(bytes: number): boolean;
}

/**
 * A query parsed and validated once ({@link Engine.parseQuery}), evaluated by
 * {@link Engine.instantQuery} any number of times, at any time, against any queryable: evaluation
 * never changes the expression.
 */
export interface ParsedQuery {
  readonly text: string;
  readonly expr: Expr;
}

/** A prepared query: parsed and validated, run by `exec` (once or several times). */
export interface Query {
  readonly expr: Expr;
  readonly text: string;
  /** Evaluates the query; rejects with a {@link PromQLError} (canceled, timeout, too_many_samples, execution, storage). */
  exec(signal?: CancelSignal): Promise<QueryResult>;
}

interface QueryParams {
  start: number;
  end: number;
  interval: number;
  instant: boolean;
}

/** The parameters of an instant query at `t` (ms). */
function instantParams(t: number): QueryParams {
  return { start: t, end: t, interval: 0, instant: true };
}

/**
 * The PromQL engine: parses, validates and evaluates queries against a {@link Queryable}. Stateless
 * between queries and safe to share; each query opens its own querier and closes it when done.
 */
export class Engine {
  readonly options: EngineOptions;

  constructor(options: Partial<EngineOptions> = {}) {
    this.options = { ...defaultEngineOptions(), ...options };
  }

  /** Parses `query` (unless given parsed) for evaluation at `t` (ms). Throws `bad_data` on a parse or validation error. */
  instantQuery(queryable: Queryable, query: string | ParsedQuery, t: number): Query {
    return this.newQuery(queryable, typeof query === 'string' ? this.parseQuery(query) : query, instantParams(t));
  }

  /** The time range [mint, maxt] (ms) an instant query of `query` at `t` opens its querier over: what it may read from storage. */
  instantQueryRange(query: ParsedQuery, t: number): [number, number] {
    return findMinMaxTime(query.expr, instantParams(t), resolveDurations(query.expr, 0), this.options.lookbackDelta);
  }

  /** Parses and validates `text` once, for repeated instant queries (a rule's expression). Throws `bad_data` as `instantQuery`. */
  parseQuery(text: string): ParsedQuery {
    const expr = this.parse(text);
    this.validate(expr);
    return { text, expr };
  }

  /** Parses `query` (unless given parsed) for evaluation at every `step` ms from `start` to `end` (inclusive, ms). */
  rangeQuery(queryable: Queryable, query: string | ParsedQuery, start: number, end: number, step: number): Query {
    if (end < start) throw new PromQLError('bad_data', 'end timestamp must not be before start time');
    if (!(step > 0)) throw new PromQLError('bad_data', 'zero or negative query resolution step widths are not accepted. Try a positive integer');
    const q = this.newQuery(queryable, typeof query === 'string' ? this.parseQuery(query) : query, { start, end, interval: step, instant: false });
    const t = valueTypeOf(q.expr);
    if (t !== 'vector' && t !== 'scalar') throw new PromQLError('bad_data', `invalid expression type "${t === 'matrix' ? 'range vector' : t}" for range query, must be Scalar or instant Vector`);
    return q;
  }

  private newQuery(queryable: Queryable, { text, expr }: ParsedQuery, params: QueryParams): Query {
    const durations = resolveDurations(expr, params.interval);
    return { expr, text, exec: (signal) => this.exec(queryable, text, expr, durations, params, signal) };
  }

  private parse(text: string): Expr {
    try {
      const ex = this.options.experimental;
      return parseExpr(text, {
        enableExperimentalFunctions: ex.functions,
        enableExperimentalDurationExpr: ex.durationExpr,
        enableExtendedRangeSelectors: ex.extendedRangeSelectors,
        maxRegexLength: this.options.maxRegexLength,
      });
    } catch (err) {
      if (err instanceof PromQLError) throw err;
      throw new PromQLError('bad_data', err instanceof Error ? err.message : String(err), { cause: err });
    }
  }

  private validate(expr: Expr): void {
    inspect(expr, (n) => {
      if (n.type !== 'VectorSelector' && n.type !== 'SubqueryExpr') return;
      if (!this.options.enableAtModifier && (n.timestamp !== undefined || n.startOrEnd !== undefined)) throw new PromQLError('bad_data', '@ modifier is disabled');
      if (!this.options.enableNegativeOffset && n.offset < 0) throw new PromQLError('bad_data', 'negative offset is disabled');
    });
  }

  private async exec(queryable: Queryable, text: string, expr: Expr, durations: ResolvedDurations, p: QueryParams, signal: CancelSignal | undefined): Promise<QueryResult> {
    const o = this.options;
    const begin = o.now();
    const [mint, maxt] = findMinMaxTime(expr, p, durations, o.lookbackDelta);
    let querier;
    try {
      querier = await queryable.querier(mint, maxt);
    } catch (err) {
      throw new PromQLError('storage', err instanceof Error ? err.message : String(err), { cause: err });
    }
    const annotations = new Annotations();
    const shared: SharedState = {
      querier,
      durations,
      annotations,
      seriesCache: new Map(),
      selectorUses: selectorUses(expr),
      mint,
      maxt,
      signal,
      deadline: begin + o.timeout,
      now: o.now,
      queryStart: p.start,
      queryEnd: p.end,
      stats: { totalSamples: 0, peakSamples: 0 },
    };
    const ev = new Evaluator(
      {
        start: p.start,
        end: p.end,
        interval: p.instant ? 1 : p.interval,
        lookbackDelta: o.lookbackDelta,
        maxSamples: o.maxSamples,
        delayedNameRemoval: o.enableDelayedNameRemoval,
        noStepSubqueryInterval: o.noStepSubqueryIntervalFn,
      },
      shared,
    );
    const prepared = o.now();
    let value: Value;
    try {
      const res = await ev.eval(expr);
      if (!Array.isArray(res)) value = { type: 'string', t: p.start, v: res.str };
      else {
        let mat = res;
        if (o.enableDelayedNameRemoval) {
          for (const s of mat) if (s.dropName) s.metric = dropMetricName(s.metric);
          mat = mergeSameLabelsets(mat);
        }
        value = toValue(mat, valueTypeOf(expr), p);
      }
    } catch (err) {
      if (err instanceof PromQLError) throw err;
      if (err instanceof Error && err.name === 'RegexSyntaxError') throw new PromQLError('execution', err.message, { cause: err });
      throw new PromQLError('storage', err instanceof Error ? err.message : String(err), { cause: err });
    } finally {
      await querier.close();
    }
    const end = o.now();
    const secs = (ms: number): number => ms / 1000;
    return {
      value,
      warnings: annotations.format('warning', text),
      infos: annotations.format('info', text),
      annotations: annotations.all(),
      stats: {
        timings: {
          evalTotalTime: secs(end - begin),
          resultSortTime: 0,
          queryPreparationTime: secs(prepared - begin),
          innerEvalTime: secs(end - prepared),
          execQueueTime: 0,
          execTotalTime: secs(end - begin),
        },
        samples: { totalQueryableSamples: shared.stats.totalSamples, peakSamples: shared.stats.peakSamples },
      },
    };
  }
}

/** Converts the evaluation result into the public value (points as objects, matrices sorted by labels). */
function toValue(mat: EvalSeries[], type: string, p: QueryParams): Value {
  if (p.instant) {
    if (type === 'vector') return { type: 'vector', samples: mat.map((s) => vectorSample(s, p.start)) };
    if (type === 'scalar') return { type: 'scalar', t: p.start, v: mat[0]?.fs[0] ?? NaN };
  }
  mat.sort(byMetric);
  return { type: 'matrix', series: mat.map(publicSeries) };
}

/**
 * Orders series by their label sets. Module level, not an arrow at each sort: V8 keeps the
 * optimized code of a closure made per query only until the next full collection (README,
 * "Closures on a query's path").
 */
function byMetric(a: EvalSeries, b: EvalSeries): number {
  return Labels.compare(a.metric, b.metric);
}

/** The sample of a one-point series at time t. */
function vectorSample(s: EvalSeries, t: number): Sample {
  const h = s.hs?.[0];
  return h === undefined ? { metric: s.metric, t, f: s.fs[0]! } : { metric: s.metric, t, f: 0, h };
}

/**
 * A series' points as the public value: float-only series keep the engine's columns (see
 * matrix-series.ts); a series with histograms is split into float and histogram point lists.
 */
function publicSeries(s: EvalSeries): Series {
  const hs = s.hs;
  if (hs === undefined) return matrixSeries(s.metric, { ts: s.ts, fs: s.fs });
  const floats: FPoint[] = [];
  const histograms: HPoint[] = [];
  for (let i = 0; i < s.ts.length; i++) {
    const h = hs[i];
    if (h === undefined) floats.push({ t: s.ts[i]!, f: s.fs[i]! });
    else histograms.push({ t: s.ts[i]!, h });
  }
  return histograms.length === 0 ? { metric: s.metric, floats } : { metric: s.metric, floats, histograms };
}

/**
 * How many selector nodes load the samples of each matcher set (see Selection.forEachLoaded): the
 * selectors of range selectors and smoothed ones. Plain instant-vector selectors walk the storage
 * iterators instead, so they do not count (`rate(x[5m]) > x` loads `x` once, keeping no copy).
 */
function selectorUses(expr: Expr): Map<string, number> {
  const uses = new Map<string, number>();
  inspect(expr, (n, path) => {
    if (n.type === 'VectorSelector' && (n.smoothed || path.at(-1)?.type === 'MatrixSelector')) uses.set(selectorKey(n), (uses.get(selectorKey(n)) ?? 0) + 1);
  });
  return uses;
}

/** The data range every selector of the query needs, ms inclusive (a safe superset of upstream's FindMinMaxTime). */
function findMinMaxTime(expr: Expr, p: QueryParams, d: ResolvedDurations, lookback: number): [number, number] {
  let mint = Infinity;
  let maxt = -Infinity;
  inspect(expr, (n, path) => {
    if (n.type !== 'VectorSelector') return;
    const times = [p.start, p.end];
    let back = lookback;
    let fwdOffset = 0;
    let backOffset = 0;
    const add = (node: Expr): void => {
      if (node.type === 'SubqueryExpr' || node.type === 'VectorSelector') {
        if (node.timestamp !== undefined) times.push(node.timestamp);
        const off = d.offset(node);
        if (off > 0) backOffset += off;
        else fwdOffset -= off;
      }
      if (node.type === 'SubqueryExpr') back += d.range(node) + (d.step(node) || 60_000);
      if (node.type === 'MatrixSelector') back += d.range(node);
    };
    for (const a of path) add(a);
    add(n);
    mint = Math.min(mint, Math.min(...times) - backOffset - back - lookback);
    maxt = Math.max(maxt, Math.max(...times) + fwdOffset + lookback);
  });
  if (mint === Infinity) return [p.start, p.end];
  return [mint, maxt];
}
