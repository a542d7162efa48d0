import { type FloatHistogram, isStaleNaNWords, Labels, type Matcher } from '@pyrometer/model';
import { FloatColumns, readLatestFrom, ValueType, type LatestSample, type Querier, type SampleIterator, type Series as StorageSeries } from '@pyrometer/storage';
import type { Annotations } from '../annotations.js';
import { execError, queryStopped, queryTimeout, tooManySamples } from '../errors.js';
import type { AggregateExpr, BinaryExpr, BinaryOp, Expr, SubqueryExpr, VectorMatching, VectorSelector } from '../parser/index.js';
import { valueTypeOf } from '../parser/index.js';
import type { Sample } from '../value.js';
import { evalAggregate } from './aggregate.js';
import { BinopCache, scalarBinop, vectorBinop } from './binary.js';
import { setOperationSeries, vectorBinopSeries, vectorScalarSeries } from './binary-series.js';
import type { ResolvedDurations } from './durations.js';
import type { CancelSignal } from './engine.js';
import { evalCall, unwrapParens } from './eval-call.js';
import { smoothedValue } from './functions/extended-range.js';
import type { BinopSite } from './histogram-binary.js';
import { anyHistograms, floatPointsOnly } from './histogram-points.js';
import { dropMetricName, reservedLabelsAlike } from './labels-util.js';
import { containsSameLabelset, mergeSameLabelsets } from './same-labelsets.js';
import { firstPoints, RangeColumns, TYPED_COLUMNS_MIN_STEPS, type SeriesColumns } from './range-columns.js';
import { type EvalSeries, evalSeries, type LoadedSeries, type NumberColumn, scratchColumns, Selection, upperBound } from './series-data.js';

/** A string value during evaluation (only string literals produce one). */
export interface StringResult {
  readonly str: string;
}

/** What evaluating a node yields: a matrix with one point per step for instant-vector and scalar nodes. */
export type EvalResult = EvalSeries[] | StringResult;

/** How many abort checks read the clock once: a rule round checks ~10^5 times, and the clock was ~2% of its CPU. */
const CLOCK_EVERY = 32;

/** State shared by an evaluator and its children (subqueries, step-invariant parts) for one query. */
export interface SharedState {
  readonly querier: Querier;
  readonly durations: ResolvedDurations;
  readonly annotations: Annotations;
  /** Loaded series by selector matchers (the same selection appears in several places of a query). */
  readonly seriesCache: Map<string, Promise<Selection>>;
  /** How many selector nodes of the query load the samples of each matcher set ({@link selectorKey}, see Selection). */
  readonly selectorUses: ReadonlyMap<string, number>;
  readonly mint: number;
  readonly maxt: number;
  readonly signal: CancelSignal | undefined;
  readonly deadline: number;
  readonly now: () => number;
  /** Query start/end in ms, for `@ start()` / `@ end()`. */
  readonly queryStart: number;
  readonly queryEnd: number;
  stats: { totalSamples: number; peakSamples: number };
}

/** Per-evaluator settings: the step grid and limits. */
export interface EvalSettings {
  readonly start: number;
  readonly end: number;
  readonly interval: number;
  readonly lookbackDelta: number;
  readonly maxSamples: number;
  readonly delayedNameRemoval: boolean;
  readonly noStepSubqueryInterval: (rangeMs: number) => number;
}

/**
 * Evaluates an expression over the step grid [start, end] every `interval` ms, as upstream's
 * evaluator: every instant-vector or scalar node yields a matrix with at most one point per step.
 * Not reusable across queries; children share `shared`.
 */
export class Evaluator {
  currentSamples = 0;
  /** How often {@link checkAbort} ran (it reads the clock every {@link CLOCK_EVERY}th time). */
  private abortChecks = 0;
  /** The grid's step times, made once and shared by every series with a point at every step. */
  private gridTimes: NumberColumn | undefined;
  private outputColumns: RangeColumns | undefined;

  constructor(
    readonly s: EvalSettings,
    readonly shared: SharedState,
  ) {}

  get numSteps(): number {
    return Math.floor((this.s.end - this.s.start) / this.s.interval) + 1;
  }

  /**
   * The times of a series whose points fall at the steps written to `stepTs[0 … n)`: the grid's
   * one shared array when it has a point at every step (time arrays are never written in place),
   * else a copy.
   */
  seriesTimes(stepTs: Float64Array, n: number): NumberColumn {
    // A long grid's times stay typed: one copy, instead of a plain array grown point by point.
    if (this.numSteps > TYPED_COLUMNS_MIN_STEPS) return n === this.numSteps ? (this.gridTimes ??= stepTs.slice(0, n)) : stepTs.slice(0, n);
    if (n === this.numSteps) return (this.gridTimes ??= Array.from(stepTs.subarray(0, n)));
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(stepTs[i]!);
    return out;
  }

  /** Where this grid's output series get their columns (see range-columns.ts). */
  get columns(): RangeColumns {
    return (this.outputColumns ??= new RangeColumns(this.numSteps));
  }

  child(settings: Partial<EvalSettings>): Evaluator {
    const ev = new Evaluator({ ...this.s, ...settings }, this.shared);
    ev.currentSamples = this.currentSamples;
    return ev;
  }

  /**
   * Throws once the query is canceled or past its deadline. Called per series and step: the signal
   * is read every time, the clock (a call into the runtime) at the first call and every
   * {@link CLOCK_EVERY}th after it.
   */
  checkAbort(): void {
    const { signal, deadline, now } = this.shared;
    if (signal?.aborted) throw queryStopped(signal.reason, 'expression evaluation');
    if (this.abortChecks++ % CLOCK_EVERY === 0 && now() > deadline) throw queryTimeout('expression evaluation');
  }

  /** Throws as {@link checkAbort} when the signal says a string of `length` UTF-16 units (two bytes each at most) does not fit in memory. */
  checkStringFits(length: number): void {
    const { signal } = this.shared;
    if (signal?.fits?.(2 * length) === false) throw queryStopped(signal.reason, 'expression evaluation');
  }

  addSamples(n: number): void {
    this.currentSamples += n;
    if (this.currentSamples > this.shared.stats.peakSamples) this.shared.stats.peakSamples = this.currentSamples;
    if (this.currentSamples > this.s.maxSamples) throw tooManySamples('query execution');
  }

  /** The `@` time of a selector or subquery in ms, or undefined. */
  atTime(n: VectorSelector | SubqueryExpr): number | undefined {
    if (n.timestamp !== undefined) return n.timestamp;
    if (n.startOrEnd === 'start') return this.shared.queryStart;
    if (n.startOrEnd === 'end') return this.shared.queryEnd;
    return undefined;
  }

  async eval(expr: Expr): Promise<EvalResult> {
    this.checkAbort();
    if (this.s.end < this.s.start) return [];
    switch (expr.type) {
      case 'AggregateExpr':
        return this.evalAggregate(expr);
      case 'Call':
        return evalCall(this, expr);
      case 'ParenExpr':
      case 'StepInvariantExpr':
        return this.eval(expr.expr);
      case 'UnaryExpr': {
        const mat = floatPointsOnly((await this.eval(expr.expr)) as EvalSeries[]);
        if (expr.op === '-') {
          for (const s of mat) {
            if (!this.s.delayedNameRemoval) s.metric = dropMetricName(s.metric);
            s.dropName = true;
            s.fs = s.fs.map((f) => -f);
          }
          if (!this.s.delayedNameRemoval) return mergeSameLabelsets(mat);
        }
        return mat;
      }
      case 'BinaryExpr':
        return this.evalBinary(expr);
      case 'NumberLiteral':
        return this.rangeEval([], constantStep, false, expr.value);
      case 'DurationExpr':
        return this.rangeEval([], constantStep, false, 0);
      case 'StringLiteral':
        return { str: expr.value };
      case 'VectorSelector':
        return this.evalVectorSelector(expr);
      case 'MatrixSelector': {
        if (this.s.start !== this.s.end) throw execError('cannot do range evaluation of matrix selector');
        return evalCall(this, expr);
      }
      case 'SubqueryExpr':
        return this.runSubquery(expr);
    }
  }

  /** Selects series by matchers (uncached), restricted to the query's data range. */
  async selectMatchers(matchers: readonly Matcher[]): Promise<readonly StorageSeries[]> {
    const { querier, mint, maxt } = this.shared;
    const set = await querier.select(matchers, { sortSeries: false, hints: { start: mint, end: maxt, func: 'info' } });
    for (const w of set.warnings) this.shared.annotations.add({ severity: 'warning', message: w });
    return set.series;
  }

  /** Selects the series of a selector over the query's data range, once per distinct matcher set and query. */
  selectSeries(vs: VectorSelector): Promise<Selection> {
    const key = selectorKey(vs);
    let p = this.shared.seriesCache.get(key);
    if (p === undefined) {
      const { querier, mint, maxt } = this.shared;
      p = querier.select(vs.matchers, { sortSeries: false, hints: { start: mint, end: maxt } }).then((set) => {
        for (const w of set.warnings) this.shared.annotations.add({ severity: 'warning', message: w });
        return new Selection(set.series, mint, maxt, this.shared.selectorUses.get(key) ?? 1);
      });
      this.shared.seriesCache.set(key, p);
    }
    return p;
  }

  async evalVectorSelector(vs: VectorSelector): Promise<EvalSeries[]> {
    const selection = await this.selectSeries(vs);
    const offset = this.shared.durations.offset(vs);
    const at = this.atTime(vs);
    if (vs.smoothed) return this.smoothedSeries(selection, offset, at);
    return this.instantSeries(selection.series, offset, at, false);
  }

  /**
   * The value each series has at every step under the lookback delta (the latest sample in
   * (t - lookback, t], unless it is a staleness marker). With `recordOrigT` the value is the
   * sample's own timestamp in ms instead (what info() and timestamp() need). Walks each series'
   * iterator once, seeking over samples that no step can see; when the steps' windows leave no
   * gap between them (step ≤ lookback delta), reads a float-only series' samples into columns in
   * bulk instead (see {@link latestInColumns}).
   */
  instantSeries(series: readonly StorageSeries[], offset: number, at: number | undefined, recordOrigT: boolean): EvalSeries[] {
    const { start, end, interval, lookbackDelta: lookback } = this.s;
    if (start === end) return this.latestSeries(series, offset, at, recordOrigT);
    const out: EvalSeries[] = [];
    const steps = this.numSteps;
    // Step times go to a scratch column; a series with a point at every step (the usual case)
    // shares one array of the grid's times instead of a copy of its own.
    const stepTs = new Float64Array(steps);
    let it: SampleIterator | undefined;
    // Not given back when the query is stopped midway: the next take then makes new columns.
    const columns = interval <= lookback ? scratchColumns.take() : undefined;
    for (const s of series) {
      this.checkAbort();
      // Sized for a point at every step (the usual case) and cut to what was found.
      const outFs = steps > TYPED_COLUMNS_MIN_STEPS ? this.columns.column(steps) : new Array<number>(steps);
      if (columns !== undefined && s.readFloatsAndMarkers !== undefined) {
        const found = this.latestInColumns(s, columns, offset, at, recordOrigT, outFs, stepTs);
        if (found > 0) out.push(this.instantOutput(s.labels, outFs, stepTs, found, undefined));
        continue;
      }
      let n = 0;
      it = s.iterator(it);
      let vt: ValueType = it.seek(Math.max(this.shared.mint, Math.floor((at ?? start) - offset - lookback) + 1));
      // The iterator's current sample time (Infinity when exhausted), and the newest float sample
      // at or before the current step's reference time (prevT -Infinity: none).
      let curT = vt === ValueType.None ? Infinity : it.atT();
      let prevT = -Infinity;
      let prevF = 0;
      let prevStale = false;
      // The newest sample's histogram when it is one; `outHs` exists once a histogram is output.
      let prevH: FloatHistogram | undefined;
      let outHs: (FloatHistogram | undefined)[] | undefined;
      for (let t = start; t <= end; t += interval) {
        const ref = (at ?? t) - offset;
        if (curT <= ref - lookback) {
          vt = it.seek(Math.floor(ref - lookback) + 1);
          curT = vt === ValueType.None ? Infinity : it.atT();
          prevT = -Infinity;
        }
        while (curT <= ref) {
          if (vt === ValueType.Float) {
            prevT = curT;
            prevF = it.atF();
            prevStale = it.atStale();
            prevH = undefined;
          } else if (vt !== ValueType.None) {
            prevT = curT;
            prevStale = it.atStale();
            prevH = prevStale ? undefined : it.atFloatHistogram();
          }
          vt = it.next();
          curT = vt === ValueType.None ? Infinity : it.atT();
        }
        if (prevT <= ref - lookback || prevStale) continue;
        stepTs[n] = t;
        if (prevH !== undefined && !recordOrigT) {
          outHs ??= new Array<FloatHistogram | undefined>(steps).fill(undefined);
          outHs[n] = prevH;
          outFs[n] = 0;
        } else {
          outFs[n] = recordOrigT ? prevT : prevF;
        }
        n++;
      }
      const err = it.err?.();
      if (err !== undefined) this.incomplete(s.labels, err);
      if (n > 0) out.push(this.instantOutput(s.labels, outFs, stepTs, n, outHs));
    }
    if (columns !== undefined) scratchColumns.give(columns);
    return out;
  }

  /** An output series of {@link instantSeries}: its first `n` points, counted against the query's samples. */
  private instantOutput(labels: Labels, outFs: number[] | Float64Array, stepTs: Float64Array, n: number, outHs: (FloatHistogram | undefined)[] | undefined): EvalSeries {
    const fs = firstPoints(outFs, n);
    const outTs = this.seriesTimes(stepTs, n);
    this.addSamples(n);
    this.shared.stats.totalSamples += n;
    if (outHs !== undefined) outHs.length = n;
    return evalSeries(labels, outTs, fs, false, outHs);
  }

  /**
   * {@link instantSeries}' points of one float-only series, read in bulk into `columns` (staleness
   * markers kept): each step's latest sample in (ref − lookback, ref] unless it is a marker, written
   * to `outFs` and its step time to `stepTs`. Returns how many points were found.
   */
  private latestInColumns(s: StorageSeries, columns: FloatColumns, offset: number, at: number | undefined, recordOrigT: boolean, outFs: number[] | Float64Array, stepTs: Float64Array): number {
    const { start, end, interval, lookbackDelta: lookback } = this.s;
    columns.clear();
    const mint = Math.max(this.shared.mint, Math.floor((at ?? start) - offset - lookback) + 1);
    const err = s.readFloatsAndMarkers!(mint, (at ?? end) - offset, columns);
    if (err !== undefined) this.incomplete(s.labels, err);
    const { ts, vs, words, length: count } = columns;
    const hiAt = FloatColumns.HI;
    const loAt = FloatColumns.LO;
    let j = 0;
    let n = 0;
    for (let t = start; t <= end; t += interval) {
      const ref = (at ?? t) - offset;
      while (j < count && ts[j]! <= ref) j++;
      // The latest sample at or before ref is j − 1.
      if (j === 0 || ts[j - 1]! <= ref - lookback || isStaleNaNWords(words[2 * j - 2 + hiAt]!, words[2 * j - 2 + loAt]!)) continue;
      stepTs[n] = t;
      outFs[n] = recordOrigT ? ts[j - 1]! : vs[j - 1]!;
      n++;
    }
    return n;
  }

  /**
   * {@link instantSeries} at a single step: each series' latest sample in (t − lookback, t] (its
   * time with `recordOrigT`), read with `readLatest` where the series has it (storage that keeps
   * decode resume points then decodes a sample or two instead of the whole lookback), else walked.
   */
  private latestSeries(series: readonly StorageSeries[], offset: number, at: number | undefined, recordOrigT: boolean): EvalSeries[] {
    const t = this.s.start;
    const ref = (at ?? t) - offset;
    const mint = Math.max(this.shared.mint, Math.floor(ref - this.s.lookbackDelta) + 1);
    const out: EvalSeries[] = [];
    const latest = LATEST;
    let it: SampleIterator | undefined;
    for (const s of series) {
      this.checkAbort();
      let err: Error | undefined;
      if (s.readLatest !== undefined) err = s.readLatest(mint, ref, latest);
      else err = readLatestFrom((it = s.iterator(it)), mint, ref, latest);
      if (err !== undefined) this.incomplete(s.labels, err);
      if (latest.t === -Infinity || latest.stale) continue;
      this.addSamples(1);
      this.shared.stats.totalSamples += 1;
      const ts = (this.gridTimes ??= [t]);
      if (latest.h !== undefined && !recordOrigT) out.push(evalSeries(s.labels, ts, [0], false, [latest.h]));
      else out.push(evalSeries(s.labels, ts, [recordOrigT ? latest.t : latest.f]));
    }
    return out;
  }

  /** A `smoothed` vector selector: values interpolated between the samples around each step (within the lookback delta). */
  private smoothedSeries(selection: Selection, offset: number, at: number | undefined): EvalSeries[] {
    const lb = this.s.lookbackDelta;
    const out: EvalSeries[] = [];
    const from = (at ?? this.s.start) - offset - lb;
    const to = (at ?? this.s.end) - offset + lb;
    // The `smoothed` modifier is rare: a closure serves.
    const loaded = (ls: LoadedSeries): void => {
      const outTs: number[] = [];
      const outFs: number[] = [];
      for (let t = this.s.start; t <= this.s.end; t += this.s.interval) {
        const dataTs = (at ?? t) - offset;
        const lo = upperBound(ls.ts, dataTs - lb);
        const v = smoothedValue(ls.ts, ls.vs, lo, upperBound(ls.ts, dataTs + lb, lo), dataTs);
        if (v === undefined) continue;
        outTs.push(t);
        outFs.push(v);
      }
      if (outTs.length > 0) {
        this.addSamples(outTs.length);
        out.push(evalSeries(ls.labels, outTs, outFs));
      }
    };
    selection.forEachLoaded({ loaded }, this.incomplete, from, to);
    return out;
  }

  /** Warns that a series' samples are incomplete: its storage could not read them all. */
  readonly incomplete = (labels: Labels, err: Error): void => {
    this.shared.annotations.add({ severity: 'warning', message: `series ${labels.toString()} is incomplete: ${err.message}` });
  };

  /**
   * Evaluates `exprs` and calls `fn` once per step with the vectors of their values at that step
   * (string arguments give empty vectors) and `ctx`, assembling the outputs into series (upstream's
   * rangeEval). Native histogram samples reach `fn` only with `withHistograms`; otherwise they are
   * left out. What a step needs from the caller comes in `ctx`, so `fn` can be a module-level
   * function: V8 keeps the optimized code of a closure made per query only until the next full
   * collection, and the per-step closures were compiled again and again (README, "Closures on a
   * query's path").
   */
  async rangeEval<C>(exprs: readonly Expr[], fn: (vectors: Sample[][], ts: number, ctx: C) => Sample[], withHistograms: boolean, ctx: C): Promise<EvalSeries[]> {
    const matrices: EvalSeries[][] = [];
    for (const e of exprs) {
      if (valueTypeOf(e) === 'string') matrices.push([]);
      else {
        const mat = (await this.eval(e)) as EvalSeries[];
        matrices.push(withHistograms ? mat : floatPointsOnly(mat));
      }
    }
    const cursors = matrices.map((m) => new Array<number>(m.length).fill(0));
    // One sample object per input series, updated in place each step: functions read their input
    // during the call only, and rangeEval copies what they return before the next step.
    const inputs: Sample[][] = matrices.map((m) => m.map((s) => (s.dropName ? { metric: s.metric, t: 0, f: 0, dropName: true } : { metric: s.metric, t: 0, f: 0 })));
    const vectors: Sample[][] = matrices.map(() => []);
    const startSamples = this.currentSamples;
    const columns = this.columns;
    const bySeries = new Map<string, SeriesColumns>();
    const order: SeriesColumns[] = [];
    let held = 0;
    for (let ts = this.s.start, step = 0; ts <= this.s.end; ts += this.s.interval, step++) {
      this.checkAbort();
      for (let i = 0; i < matrices.length; i++) {
        const m = matrices[i]!;
        const cur = cursors[i]!;
        const vec: Sample[] = [];
        for (let j = 0; j < m.length; j++) {
          const s = m[j]!;
          const k = cur[j]!;
          if (s.ts[k] === ts) {
            cur[j] = k + 1;
            const sample = inputs[i]![j]!;
            sample.t = ts;
            sample.f = s.fs[k]!;
            if (s.hs !== undefined) sample.h = s.hs[k];
            vec.push(sample);
          }
        }
        vectors[i] = vec;
      }
      const result = fn(vectors, ts, ctx);
      this.currentSamples = startSamples + held;
      this.addSamples(result.length);
      held += result.length;
      if (this.s.start === this.s.end) {
        if (!this.s.delayedNameRemoval && containsSameLabelset(result)) throw execError('vector cannot contain metrics with the same labelset');
        this.currentSamples = startSamples + result.length;
        return result.map((r) => evalSeries(r.metric, [ts], [r.f], r.dropName === true, r.h === undefined ? undefined : [r.h]));
      }
      for (const r of result) {
        const key = r.metric.key();
        let out = bySeries.get(key);
        if (out === undefined) {
          out = columns.series(r.metric, r.dropName === true, step);
          bySeries.set(key, out);
          order.push(out);
        } else if (out.lastTs === ts) {
          throw execError('vector cannot contain metrics with the same labelset');
        }
        out.append(ts, r.f, r.h);
      }
    }
    this.currentSamples = startSamples + held;
    return order.map((out) => out.finish());
  }

  private async evalBinary(e: BinaryExpr): Promise<EvalSeries[]> {
    const lt = valueTypeOf(e.lhs);
    const rt = valueTypeOf(e.rhs);
    if (lt === 'scalar' && rt === 'scalar') {
      return this.rangeEval([e.lhs, e.rhs], scalarBinopStep, false, e.op);
    }
    const lhs = (await this.eval(e.lhs)) as EvalSeries[];
    const rhs = (await this.eval(e.rhs)) as EvalSeries[];
    const delayed = this.s.delayedNameRemoval;
    const site = { annotations: this.shared.annotations, pos: e.pos };
    let out: EvalSeries[];
    if (lt === 'vector' && rt === 'vector') {
      const m = e.vectorMatching!;
      const cache = new BinopCache();
      if (e.op === 'and' || e.op === 'or' || e.op === 'unless') out = setOperationSeries(e.op, lhs, rhs, m, cache);
      else {
        // Series with histogram points take the step-by-step path, which knows the histogram rules.
        const withHistograms = anyHistograms(lhs) || anyHistograms(rhs);
        const series = withHistograms ? undefined : vectorBinopSeries(e.op, lhs, rhs, m, e.returnBool, delayed, cache);
        if (series === undefined) {
          return this.rangeEval([e.lhs, e.rhs], vectorBinopStep, true, { op: e.op, matching: m, returnBool: e.returnBool, delayed, cache, site });
        }
        out = series;
      }
    } else {
      const swap = lt !== 'vector';
      const scalar = { values: this.stepValues(swap ? lhs : rhs), start: this.s.start, interval: this.s.interval };
      out = vectorScalarSeries(e.op, swap ? rhs : lhs, scalar, swap, e.returnBool, delayed, site);
      // A selector's series are distinct label sets, and stay so without their names when they
      // all have the same one: then merging (a hash of every output series) has nothing to find.
      if (unwrapParens(swap ? e.rhs : e.lhs).type === 'VectorSelector' && reservedLabelsAlike(swap ? rhs : lhs)) return this.counted(out);
    }
    return mergeSameLabelsets(this.counted(out));
  }

  /** Counts the points of `mat` towards the query's samples; returns it. */
  private counted(mat: EvalSeries[]): EvalSeries[] {
    let points = 0;
    for (const s of mat) points += s.ts.length;
    this.addSamples(points);
    return mat;
  }

  /** The value of a scalar's matrix at every step of this evaluator's grid (NaN where it has none). */
  stepValues(mat: readonly EvalSeries[]): number[] {
    const out = new Array<number>(this.numSteps).fill(NaN);
    const s = mat[0];
    if (s !== undefined) for (let k = 0; k < s.ts.length; k++) out[Math.round((s.ts[k]! - this.s.start) / this.s.interval)] = s.fs[k]!;
    return out;
  }

  private async evalAggregate(e: AggregateExpr): Promise<EvalSeries[]> {
    return evalAggregate(this, e);
  }

  /** The step grid of a subquery's inner evaluation (upstream's subqueryTimeRange). */
  subqueryTimes(e: SubqueryExpr): { start: number; end: number; interval: number } {
    const offset = this.shared.durations.offset(e);
    const range = this.shared.durations.range(e);
    const at = this.atTime(e);
    const outerStart = at ?? this.s.start;
    let outerEnd = at ?? this.s.end;
    if (at === undefined && this.s.interval > 0) outerEnd = this.s.start + Math.floor((this.s.end - this.s.start) / this.s.interval) * this.s.interval;
    const stepMs = this.shared.durations.step(e);
    const interval = stepMs !== 0 ? stepMs : this.s.noStepSubqueryInterval(range);
    const lower = outerStart - offset - range;
    let start = interval * Math.trunc(lower / interval);
    if (start <= lower) start += interval;
    return { start, end: outerEnd - offset, interval };
  }

  /** Evaluates a subquery's inner expression on its own grid and returns the raw matrix. */
  async runSubqueryInner(e: SubqueryExpr): Promise<EvalSeries[]> {
    const { start, end, interval } = this.subqueryTimes(e);
    const child = this.child({ start, end, interval });
    const res = (await child.eval(e.expr)) as EvalSeries[];
    this.currentSamples = child.currentSamples;
    return res;
  }

  /** A subquery evaluated on its own (the result of an instant query, or `timestamp(subquery)`-like uses). */
  private async runSubquery(e: SubqueryExpr): Promise<EvalSeries[]> {
    return this.runSubqueryInner(e);
  }
}

const EMPTY = Labels.EMPTY;

/** A step of a number literal: the value itself, at every step. */
function constantStep(_vectors: Sample[][], _ts: number, f: number): Sample[] {
  return [{ metric: EMPTY, t: 0, f }];
}

/** A step of an operation between two scalars. */
function scalarBinopStep(v: Sample[][], _ts: number, op: BinaryOp): Sample[] {
  return [{ metric: EMPTY, t: 0, f: scalarBinop(op, v[0]![0]!.f, v[1]![0]!.f) }];
}

/** What a step of {@link vectorBinopStep} needs: the operation and its matching, fixed for the query. */
interface VectorBinopStep {
  readonly op: BinaryOp;
  readonly matching: VectorMatching;
  readonly returnBool: boolean;
  readonly delayed: boolean;
  readonly cache: BinopCache;
  readonly site: BinopSite;
}

/** A step of an operation between two vectors, on the step-by-step path (series with histogram points). */
function vectorBinopStep(v: Sample[][], _ts: number, s: VectorBinopStep): Sample[] {
  return vectorBinop(s.op, v[0]!, v[1]!, s.matching, s.returnBool, s.delayed, s.cache, s.site);
}

/** The sample a single-step selector read last (read right after it is written). */
const LATEST: LatestSample = { t: -Infinity, f: 0, stale: false, h: undefined };

/** The identity of a selector's selection: its matchers (the same matchers select the same series). */
export function selectorKey(vs: VectorSelector): string {
  return vs.matchers.map((m) => m.toString()).join(',');
}
