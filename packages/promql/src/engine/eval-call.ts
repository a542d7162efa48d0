import { AnchoredRegex, expandTemplate, isValidLabelName } from '@pyrometer/model';
import { annotations } from '../annotations.js';
import { execError, PromQLError } from '../errors.js';
import type { Call, Expr, MatrixSelector, SubqueryExpr, VectorSelector } from '../parser/index.js';
import type { Sample } from '../value.js';
import type { Evaluator } from './evaluator.js';
import { containsSameLabelset, mergeSameLabelsets } from './same-labelsets.js';
import { extendFloats } from './functions/extended-range.js';
import { HISTOGRAM_FUNCTIONS } from './functions/histogram-functions.js';
import { NAME_KEEPING_RANGE_FUNCTIONS, RANGE_FUNCTIONS } from './functions/range-functions.js';
import type { FunctionContext, VectorFunction } from './functions/types.js';
import { WindowCursor, type WindowGrid } from './functions/window-cursor.js';
import { absentLabels, VECTOR_FUNCTIONS } from './functions/vector-functions.js';
import { evalInfo } from './info.js';
import { floatPointsOnly } from './histogram-points.js';
import { dropMetricName } from './labels-util.js';
import { type EvalSeries, evalSeries, type LoadedSeries, upperBound } from './series-data.js';
import { RangeFunctionPass, type WindowSource } from './range-function-pass.js';

const ANCHORED_SAFE = ['changes', 'delta', 'increase', 'rate', 'resets'];
/** The range functions that correct counter resets inside each window (see RangeWindow.mayReset). */
const COUNTER_FUNCTIONS = new Set(['rate', 'increase']);
const SMOOTHED_SAFE = ['delta', 'increase', 'rate'];

/** The expression inside any parentheses (and step-invariant wrappers). */
export function unwrapParens(e: Expr): Expr {
  while (e.type === 'ParenExpr' || e.type === 'StepInvariantExpr') e = e.expr;
  return e;
}

function stringArg(e: Expr | undefined): string {
  if (e !== undefined) e = unwrapParens(e);
  return e?.type === 'StringLiteral' ? e.value : '';
}

/** Evaluates a function call (or a bare matrix selector of an instant query). */
export async function evalCall(ev: Evaluator, e: Call | MatrixSelector): Promise<EvalSeries[]> {
  if (e.type === 'MatrixSelector') return evalMatrixSelector(ev, e);
  const name = e.func.name;
  if ((name === 'timestamp' || name === 'start_timestamp') && e.args[0]?.type === 'VectorSelector') return timestampOfSelector(ev, e.args[0]);
  if (name === 'label_replace') return labelReplace(ev, e);
  if (name === 'label_join') return labelJoin(ev, e);
  if (name === 'info') return evalInfo(ev, e);
  const ann = ev.shared.annotations;
  if ((name === 'sort' || name === 'sort_desc' || name === 'sort_by_label' || name === 'sort_by_label_desc') && ev.s.start !== ev.s.end) {
    ann.add(annotations.sortInRangeQuery(e.pos));
  }
  const matrixIndex = e.args.findIndex((a) => {
    const u = unwrapParens(a);
    return u.type === 'MatrixSelector' || u.type === 'SubqueryExpr';
  });
  if (matrixIndex < 0) {
    const histogramFn = HISTOGRAM_FUNCTIONS[name];
    const fn = histogramFn ?? VECTOR_FUNCTIONS[name];
    if (fn === undefined) return histogramOnlyFunction(ev, e);
    const step: FunctionStep = { fn, call: e, delayedNameRemoval: ev.s.delayedNameRemoval, annotations: ann, memo: new Map() };
    return ev.rangeEval(e.args, functionStep, histogramFn !== undefined, step);
  }
  return evalRangeFunction(ev, e, matrixIndex);
}

/** A function call's evaluation at every step: the function and what each step's context repeats. */
interface FunctionStep extends Omit<FunctionContext, 'ts'> {
  readonly fn: VectorFunction;
}

/** One step of a function call (module level: see {@link Evaluator.rangeEval}). */
function functionStep(vectors: Sample[][], ts: number, s: FunctionStep): Sample[] {
  return s.fn(vectors, { ts, call: s.call, delayedNameRemoval: s.delayedNameRemoval, annotations: s.annotations, memo: s.memo });
}

/** A step that yields nothing. */
function noSamples(): Sample[] {
  return [];
}

/** Native-histogram functions see no float input as a histogram, so they yield nothing for floats. */
async function histogramOnlyFunction(ev: Evaluator, e: Call): Promise<EvalSeries[]> {
  // Every other function of the parser's table has an evaluator; reaching here means the tables disagree.
  if (!e.func.name.startsWith('histogram_')) throw execError(`internal error: no evaluator for function ${e.func.name}()`);
  return ev.rangeEval(e.args, noSamples, false, undefined);
}

async function evalMatrixSelector(ev: Evaluator, ms: MatrixSelector): Promise<EvalSeries[]> {
  const vs = ms.vectorSelector;
  const range = ev.shared.durations.range(ms);
  const offset = ev.shared.durations.offset(vs);
  const ref = (ev.atTime(vs) ?? ev.s.start) - offset;
  const before = vs.anchored || vs.smoothed ? ev.s.lookbackDelta : 0;
  const after = vs.smoothed ? ev.s.lookbackDelta : 0;
  const out: EvalSeries[] = [];
  const selection = await ev.selectSeries(vs);
  // An instant query's matrix answer: not a path run per step, so a closure serves.
  const loaded = (src: LoadedSeries): void => {
    const lo = upperBound(src.ts, ref - range - before);
    const hi = upperBound(src.ts, ref + after, lo);
    if (hi === lo) return;
    const floats = vs.anchored || vs.smoothed ? extendFloats(src.ts, src.vs, lo, hi, ref - range, ref, vs.smoothed) : [];
    if (!vs.anchored && !vs.smoothed) for (let i = lo; i < hi; i++) floats.push({ t: src.ts[i]!, f: src.vs[i]! });
    if (floats.length === 0) return;
    ev.addSamples(floats.length);
    out.push(evalSeries(src.labels, floats.map((p) => p.t), floats.map((p) => p.f)));
  };
  selection.forEachLoaded({ loaded }, ev.incomplete, ref - range - before, ref + after);
  return out;
}

function subquerySources(mat: EvalSeries[]): WindowSource[] {
  return floatPointsOnly(mat).map(windowSource);
}

/** A subquery's series as a window source (module-level, as the hot path's functions: README, "Closures on a query's path"). */
function windowSource(s: EvalSeries): WindowSource {
  return { metric: s.metric, ts: Float64Array.from(s.ts), vs: Float64Array.from(s.fs), dropName: s.dropName === true };
}

async function evalRangeFunction(ev: Evaluator, e: Call, matrixIndex: number): Promise<EvalSeries[]> {
  const name = e.func.name;
  const fn = RANGE_FUNCTIONS[name];
  if (fn === undefined) throw execError(`internal error: no evaluator for range function ${name}()`);
  const arg = unwrapParens(e.args[matrixIndex]!) as MatrixSelector | SubqueryExpr;
  const ann = ev.shared.annotations;

  const scalarArgs: (number[] | undefined)[] = [];
  for (let i = 0; i < e.args.length; i++) {
    if (i === matrixIndex) continue;
    scalarArgs.push(ev.stepValues((await ev.eval(e.args[i]!)) as EvalSeries[]));
  }

  /** The selector's series, loaded window by window (a matrix selector), or the subquery's (computed whole). */
  let selected: { vs: VectorSelector; from: number; to: number } | undefined;
  let computed: WindowSource[] = [];
  let range: number;
  let offset: number;
  let at: number | undefined;
  let anchored = false;
  let smoothed = false;
  if (arg.type === 'MatrixSelector') {
    const vs = arg.vectorSelector;
    if (vs.anchored && !ANCHORED_SAFE.includes(name)) throw execError(`anchored modifier can only be used with: ${ANCHORED_SAFE.join(', ')} - not with ${name}`);
    if (vs.smoothed && !SMOOTHED_SAFE.includes(name)) throw execError(`smoothed modifier can only be used with: ${SMOOTHED_SAFE.join(', ')} - not with ${name}`);
    anchored = vs.anchored;
    smoothed = vs.smoothed;
    range = ev.shared.durations.range(arg);
    offset = ev.shared.durations.offset(vs);
    at = ev.atTime(vs);
    // What the windows of the first and the last step read (see the window bounds below).
    const from = (at ?? ev.s.start) - offset - range - (anchored || smoothed ? ev.s.lookbackDelta : 0);
    const to = (at ?? ev.s.end) - offset + (smoothed ? ev.s.lookbackDelta : 0);
    selected = { vs, from, to };
  } else {
    computed = subquerySources(await ev.runSubqueryInner(arg));
    range = ev.shared.durations.range(arg);
    offset = ev.shared.durations.offset(arg);
    at = ev.atTime(arg);
  }

  const keepsName = NAME_KEEPING_RANGE_FUNCTIONS.has(name);
  const before = anchored || smoothed ? ev.s.lookbackDelta : 0;
  const after = smoothed ? ev.s.lookbackDelta : 0;
  const ctx: FunctionContext = { ts: 0, call: e, delayedNameRemoval: ev.s.delayedNameRemoval, annotations: ann, memo: new Map() };
  const grid: WindowGrid = { start: ev.s.start, end: ev.s.end, interval: ev.s.interval, range, offset, at, before, after, anchored, smoothed, scalarArgs, checkAbort: () => ev.checkAbort() };
  const cursor = new WindowCursor(grid, ctx, ev.numSteps);
  const pass = new RangeFunctionPass(ev, e, fn, cursor, { keepsName, counterFunction: COUNTER_FUNCTIONS.has(name), fromOneSelect: arg.type === 'MatrixSelector' });
  if (selected !== undefined) (await ev.selectSeries(selected.vs)).forEachLoaded(pass, ev.incomplete, selected.from, selected.to);
  for (const src of computed) pass.series(src);
  const out = pass.out;

  if (name === 'absent_over_time') return absentOverTime(ev, e, out);
  if (!ev.s.delayedNameRemoval && !pass.distinctOutput && containsSameLabelset(out)) {
    throw execError('vector cannot contain metrics with the same labelset');
  }
  return out;
}

function absentOverTime(ev: Evaluator, e: Call, mat: EvalSeries[]): EvalSeries[] {
  const steps = ev.numSteps;
  const found = new Set<number>();
  for (const s of mat) {
    if (s.ts.length === steps) return [];
    for (const t of s.ts) found.add(t);
  }
  if (found.size === steps) return [];
  const ts: number[] = [];
  for (let t = ev.s.start; t <= ev.s.end; t += ev.s.interval) if (!found.has(t)) ts.push(t);
  return [evalSeries(absentLabels(e.args[0]!), ts, ts.map(() => 1), true)];
}

/** timestamp(selector): the timestamp of the sample the selector picks at each step, in seconds. */
async function timestampOfSelector(ev: Evaluator, vs: VectorSelector): Promise<EvalSeries[]> {
  const selection = await ev.selectSeries(vs);
  const mat = ev.instantSeries(selection.series, ev.shared.durations.offset(vs), ev.atTime(vs), true);
  for (const s of mat) {
    for (let i = 0; i < s.fs.length; i++) s.fs[i] = s.fs[i]! / 1000;
    if (!ev.s.delayedNameRemoval) s.metric = dropMetricName(s.metric);
    s.dropName = true;
  }
  return mat;
}

async function labelReplace(ev: Evaluator, e: Call): Promise<EvalSeries[]> {
  const [, dstE, replE, srcE, regexE] = e.args;
  const dst = stringArg(dstE);
  const repl = stringArg(replE);
  const src = stringArg(srcE);
  const regexStr = stringArg(regexE);
  let regex: AnchoredRegex;
  try {
    regex = new AnchoredRegex(regexStr);
  } catch (err) {
    throw new PromQLError('execution', `invalid regular expression in label_replace(): ${regexStr}`, { cause: err });
  }
  if (!isValidLabelName(dst)) throw execError(`invalid destination label name in label_replace(): ${dst}`);
  const mat = (await ev.eval(e.args[0]!)) as EvalSeries[];
  for (const s of mat) {
    const m = regex.exec(s.metric.get(src));
    if (m === undefined) continue;
    // Built as a rope (`+=`), flattened when first read: its length is known before it takes memory.
    const value = expandTemplate(repl, m);
    ev.checkStringFits(value.length);
    s.metric = s.metric.builder().set(dst, value).labels();
    if (dst === '__name__') s.dropName = false;
  }
  return mergeSameLabelsets(mat);
}

async function labelJoin(ev: Evaluator, e: Call): Promise<EvalSeries[]> {
  const dst = stringArg(e.args[1]);
  const sep = stringArg(e.args[2]);
  const srcs = e.args.slice(3).map(stringArg);
  for (const s of srcs) if (!isValidLabelName(s)) throw execError(`invalid source label name in label_join(): ${s}`);
  if (!isValidLabelName(dst)) throw execError(`invalid destination label name in label_join(): ${dst}`);
  const mat = (await ev.eval(e.args[0]!)) as EvalSeries[];
  for (const s of mat) {
    const parts = srcs.map((n) => s.metric.get(n));
    ev.checkStringFits(parts.reduce((sum, p) => sum + p.length, sep.length * (parts.length - 1)));
    s.metric = s.metric.builder().set(dst, parts.join(sep)).labels();
    if (dst === '__name__') s.dropName = false;
  }
  return mergeSameLabelsets(mat);
}
