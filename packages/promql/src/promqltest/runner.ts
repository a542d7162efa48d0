import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type FloatHistogram, Labels } from '@pyrometer/model';
import type { Appendable, Queryable } from '@pyrometer/storage';
import { Engine } from '../engine/engine.js';
import type { EngineOptions } from '../engine/options.js';
import { parseSeriesDescription } from '../parser/index.js';
import { compareResult, type Expected, type ExpectedSeries } from './compare.js';
import { atModifierVariants } from './at-variants.js';
import { HistogramCaseTracker } from './histogram-cases.js';
import { readScript, type EvalCommand, type LoadCommand } from './script.js';
import type { PromQLError } from '../errors.js';
import type { Sample } from '../value.js';

/** A storage the runner loads data into and queries; `close` is called when it is replaced or the file ends. */
export type TestStorage = Appendable & Queryable & { close?(): Promise<void> | void };

/** Runner settings. */
export interface RunOptions {
  /** Creates an empty storage (at the start and on every `clear`). */
  storageFactory: () => TestStorage | Promise<TestStorage>;
  /** Engine options; defaults are the builtin suite's (see {@link builtinTestEngineOptions}). */
  engineOptions?: Partial<EngineOptions>;
  /** The file name reported in results when `source` is text. */
  fileName?: string;
  /** Cases (by 1-based line of their `eval` or `load` command) not to run; the value is the reason. */
  skip?: ReadonlyMap<number, string>;
}

/** The outcome of one case: an eval, or a load (which passes when its data loaded). */
export interface CaseResult {
  readonly file: string;
  readonly line: number;
  readonly expr: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  /** Why it failed or was skipped. */
  readonly message?: string;
  /** True when the case's data or expectation involves native histograms (`{{…}}` or load_with_nhcb). */
  readonly nativeHistograms: boolean;
}

/** The engine settings upstream's RunBuiltinTests uses (compat-checklist.md §7). */
export function builtinTestEngineOptions(): Partial<EngineOptions> {
  return {
    maxSamples: 10_000,
    timeout: 100_000,
    lookbackDelta: 300_000,
    enableAtModifier: true,
    enableNegativeOffset: true,
    enableDelayedNameRemoval: true,
    experimental: { functions: true, durationExpr: true, extendedRangeSelectors: true },
    noStepSubqueryIntervalFn: () => 60_000,
  };
}

/**
 * Runs a promqltest script (a file path, or the script text when it contains a newline) and
 * returns one result per case (each `load` and each `eval`), in file order. Commands run sequentially on one storage;
 * a case's failure never stops the file.
 */
export async function runTestFile(source: string, options: RunOptions): Promise<CaseResult[]> {
  const isText = source.includes('\n');
  const text = isText ? source : await readFile(source, 'utf8');
  const file = options.fileName ?? (isText ? '<script>' : basename(source));
  const engine = new Engine({ ...builtinTestEngineOptions(), ...options.engineOptions });
  const results: CaseResult[] = [];
  let storage = await options.storageFactory();
  const histogramCases = new HistogramCaseTracker();
  try {
    for (const cmd of readScript(text)) {
      const nativeHistograms = histogramCases.involves(cmd);
      if (cmd.kind === 'clear') {
        await storage.close?.();
        storage = await options.storageFactory();
        continue;
      }
      const skip = options.skip?.get(cmd.line);
      if (cmd.kind === 'load') {
        const err = await load(storage, cmd);
        if (skip !== undefined) results.push({ file, line: cmd.line, expr: 'load', status: 'skipped', message: skip, nativeHistograms });
        else if (err !== undefined) results.push({ file, line: cmd.line, expr: 'load', status: 'failed', message: err, nativeHistograms });
        else results.push({ file, line: cmd.line, expr: 'load', status: 'passed', nativeHistograms });
        continue;
      }
      if (skip !== undefined) {
        results.push({ file, line: cmd.line, expr: cmd.expr, status: 'skipped', message: skip, nativeHistograms });
        continue;
      }
      let message: string | undefined;
      try {
        message = cmd.instant ? await runInstant(engine, storage, cmd) : await runRange(engine, storage, cmd);
      } catch (err) {
        message = `runner error: ${err instanceof Error ? err.message : String(err)}`;
      }
      results.push(
        message === undefined ? { file, line: cmd.line, expr: cmd.expr, status: 'passed', nativeHistograms } : { file, line: cmd.line, expr: cmd.expr, status: 'failed', message, nativeHistograms },
      );
    }
  } finally {
    await storage.close?.();
  }
  return results;
}

interface LoadSample {
  t: number;
  v: number;
  stale: boolean;
  h: FloatHistogram | undefined;
}

async function load(storage: TestStorage, cmd: LoadCommand): Promise<string | undefined> {
  const defs = new Map<string, { labels: Labels; line: number; samples: LoadSample[] }>();
  let error: string | undefined;
  const fail = (line: number, err: unknown): void => {
    error ??= `line ${line}: ${err instanceof Error ? err.message : String(err)}`;
  };
  for (const s of cmd.series) {
    try {
      const { labels, values } = parseSeriesDescription(s.text);
      const samples: LoadSample[] = [];
      values.forEach((v, i) => {
        if (v.omitted) return;
        samples.push({ t: i * cmd.step, v: v.value, stale: v.stale, h: v.histogram });
      });
      defs.set(labels.key(), { labels, line: s.line, samples });
    } catch (err) {
      fail(s.line, err);
    }
  }
  const app = storage.appender();
  try {
    for (const { labels, line, samples } of defs.values()) {
      let ref = 0;
      for (const s of samples) {
        if (s.h === undefined) ref = app.append(ref, labels, s.t, s.v, s.stale);
        else {
          // A storage that refuses histograms (at append) keeps the file's float series loaded.
          try {
            ref = app.appendHistogram(ref, labels, s.t, s.h);
          } catch (err) {
            fail(line, err);
            break;
          }
        }
      }
    }
    await app.commit();
  } catch (err) {
    await app.rollback();
    return `load failed: ${err instanceof Error ? err.message : String(err)}`;
  }
  return error;
}

function expectedOf(cmd: EvalCommand): Expected {
  const series: ExpectedSeries[] = cmd.expected.map((l) => {
    const { labels, values } = parseSeriesDescription(l.text);
    return {
      labels,
      position: l.position,
      line: l.line,
      values: values.map((v) => ({ value: v.value, omitted: v.omitted, stale: v.stale, histogram: v.histogram, hintSet: v.counterResetHintSet === true })),
    };
  });
  return { series, scalar: cmd.expectedScalar, string: cmd.expectedString };
}

function isFail(cmd: EvalCommand): boolean {
  return cmd.fail || cmd.expectations.some((e) => e.kind === 'fail');
}

/** Checks an error against `expect fail` / `expected_fail_*`; undefined when it is acceptable. */
function checkFailure(cmd: EvalCommand, err: unknown): string | undefined {
  const msg = err instanceof Error ? err.message : String(err);
  if (cmd.expectedFailMessage !== undefined && cmd.expectedFailMessage !== msg) return `expected error ${JSON.stringify(cmd.expectedFailMessage)}, got: ${msg}`;
  if (cmd.expectedFailRegexp !== undefined && !cmd.expectedFailRegexp.test(msg)) return `expected error matching ${String(cmd.expectedFailRegexp)}, got: ${msg}`;
  const exp = cmd.expectations.find((e) => e.kind === 'fail');
  if (exp !== undefined && !(exp.regex !== undefined ? exp.regex.test(msg) : exp.message === msg)) return `expected error matching ${exp.message ?? String(exp.regex)}, got: ${msg}`;
  return undefined;
}

/** Annotation expectations (upstream's checkAnnotations), on messages without positions. */
function checkAnnotations(cmd: EvalCommand, warnings: string[], infos: string[]): string | undefined {
  if (cmd.warn && warnings.length === 0) return 'expected warnings but got none';
  if (cmd.info && infos.length === 0) return 'expected info annotations but got none';
  const match = (e: { message?: string; regex?: RegExp }, s: string): boolean => (e.regex !== undefined ? e.regex.test(s) : e.message === s);
  for (const [kind, actual] of [
    ['warn', warnings],
    ['info', infos],
  ] as const) {
    const expected = cmd.expectations.filter((e) => e.kind === kind);
    if (expected.length === 0) continue;
    if (actual.length === 0) return `expected ${kind} annotations but none were found`;
    for (const e of expected) if (!actual.some((a) => match(e, a))) return `expected ${kind} annotation ${e.message ?? String(e.regex)} not found, found: ${JSON.stringify(actual)}`;
    for (const a of actual) if (!expected.some((e) => match(e, a))) return `unexpected ${kind} annotation ${JSON.stringify(a)}`;
  }
  if (cmd.expectations.some((e) => e.kind === 'no_warn') && warnings.length > 0) return `unexpected warning annotations: ${JSON.stringify(warnings)}`;
  if (cmd.expectations.some((e) => e.kind === 'no_info') && infos.length > 0) return `unexpected info annotations: ${JSON.stringify(infos)}`;
  return undefined;
}

async function runRange(engine: Engine, storage: TestStorage, cmd: EvalCommand): Promise<string | undefined> {
  let res;
  try {
    res = await engine.rangeQuery(storage, cmd.expr, cmd.start, cmd.end, cmd.step).exec();
  } catch (err) {
    if (isFail(cmd)) return checkFailure(cmd, err);
    return `error evaluating query: ${(err as PromQLError).message}`;
  }
  if (isFail(cmd)) return 'expected error evaluating query but got none';
  const a = checkAnnotations(cmd, messages(res.annotations, 'warning'), messages(res.annotations, 'info'));
  if (a !== undefined) return a;
  return compareResult(res.value, expectedOf(cmd), { start: cmd.start, end: cmd.end, step: cmd.step, ordered: cmd.ordered, instant: false });
}

function messages(annos: readonly { severity: string; message: string }[], severity: string): string[] {
  return annos.filter((a) => a.severity === severity).map((a) => a.message);
}

async function runInstant(engine: Engine, storage: TestStorage, cmd: EvalCommand): Promise<string | undefined> {
  const evalTime = cmd.expectRangeVector ? cmd.end : cmd.at;
  const queries: { expr: string; t: number }[] = [{ expr: cmd.expr, t: evalTime }];
  for (const v of atModifierVariants(cmd.expr, evalTime)) queries.push(v);
  for (const q of queries) {
    const err = await runInstantQuery(engine, storage, cmd, q.expr, q.t);
    if (err !== undefined) return q.expr === cmd.expr && q.t === evalTime ? err : `${err} (for ${q.expr} at ${q.t}ms)`;
  }
  return undefined;
}

async function runInstantQuery(engine: Engine, storage: TestStorage, cmd: EvalCommand, expr: string, t: number): Promise<string | undefined> {
  let res;
  try {
    res = await engine.instantQuery(storage, expr, t).exec();
  } catch (err) {
    if (isFail(cmd)) return checkFailure(cmd, err);
    return `error evaluating query: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (isFail(cmd)) return 'expected error evaluating query but got none';
  const a = checkAnnotations(cmd, messages(res.annotations, 'warning'), messages(res.annotations, 'info'));
  if (a !== undefined) return a;
  const expected = expectedOf(cmd);
  const c = compareResult(res.value, expected, { start: cmd.start, end: cmd.end, step: cmd.step, ordered: cmd.ordered, instant: !cmd.expectRangeVector });
  if (c !== undefined) return c;
  if (cmd.excludeFromRangeQuery || /(start|end|range|step)\(\)/.test(expr)) return undefined;
  let rangeRes;
  try {
    rangeRes = await engine.rangeQuery(storage, expr, t - 60_000, t + 60_000, 60_000).exec();
  } catch (err) {
    return `error evaluating query in range mode: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (cmd.ordered) return undefined;
  if (rangeRes.value.type !== 'matrix') return `range mode returned ${rangeRes.value.type}`;
  const series = rangeRes.value.series;
  for (let i = 1; i < series.length; i++) {
    if (Labels.compare(series[i - 1]!.metric, series[i]!.metric) > 0) return 'range mode: matrix results should always be sorted by labels';
  }
  const samples: Sample[] = [];
  for (const s of series) {
    const p = s.floats.find((x) => x.t === t);
    if (p !== undefined) samples.push({ metric: s.metric, t, f: p.f });
    const h = s.histograms?.find((x) => x.t === t);
    if (h !== undefined) samples.push({ metric: s.metric, t, f: 0, h: h.h });
  }
  const asValue = res.value.type === 'scalar' ? { type: 'scalar' as const, t, v: samples[0]?.f ?? NaN } : { type: 'vector' as const, samples };
  const r = compareResult(asValue, expected, { start: cmd.start, end: cmd.end, step: cmd.step, ordered: false, instant: true });
  return r === undefined ? undefined : `range mode: ${r}`;
}
