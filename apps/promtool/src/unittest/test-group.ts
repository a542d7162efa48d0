import { formatDuration, goQuote, Labels } from '@pyrometer/model';
import { Engine, type Sample } from '@pyrometer/promql';
import { parseSeriesDescription } from '@pyrometer/promql/parser';
import { AlertingRule, AlertState, engineQueryFunc, evalGroup, RuleManager, RulesError, type Group, type QueryFunc } from '@pyrometer/rules';
import { MemoryStorage } from '@pyrometer/storage';
import { GoDuration } from '@pyrometer/template';
import type { PromqlFeatures } from '../features.js';
import { alertsEqual, formatAlerts, formatSamples, indentLines, pairsOf, samplesEqual, sortAlerts, type LabelsAndAnnotations, type TestSample } from './compare.js';
import { debugDump } from './debug.js';
import { InputSeriesLoader } from './input-series.js';
import type { AlertTestCase, PromqlTestCase, TestGroup } from './test-file.js';

/** What every test group of a file shares. Durations in ms. */
export interface TestGroupContext {
  /** Rule files, resolved and globbed. */
  readonly ruleFiles: readonly string[];
  /** The file's `evaluation_interval`: rules run at this step, and it is the default subquery step. */
  readonly evalInterval: number;
  /** `group_eval_order`: position of a group name; groups not listed count as 0. */
  readonly groupOrder: ReadonlyMap<string, number>;
  readonly fuzzyCompare: boolean;
  readonly ignoreUnknownFields: boolean;
  readonly features: PromqlFeatures;
  /** Where `--debug` lines go; undefined when debugging is off. */
  readonly debug: ((line: string) => void) | undefined;
}

/**
 * Runs one test group (upstream's `testGroup.test`): loads the rule files, evaluates every group
 * each `evaluation_interval` from the start to the last `eval_time` with the input series written
 * up to each instant, checks the firing alerts at each `alert_rule_test` time and then every
 * `promql_expr_test`. Returns the failures as upstream words them (empty when the group passes).
 * A rule that fails to evaluate ends the group at once.
 */
export async function runTestGroup(test: TestGroup, ctx: TestGroupContext): Promise<string[]> {
  const mint = test.startTimestamp ?? 0;
  let loader: InputSeriesLoader;
  try {
    loader = new InputSeriesLoader(test.inputSeries, test.interval, mint);
  } catch (err) {
    return [(err as Error).message];
  }
  const storage = new MemoryStorage();
  // Upstream's lazy loader: 10,000 samples per query, 100 s, @ and negative offsets always allowed.
  const engine = new Engine({
    maxSamples: 10_000,
    timeout: 100_000,
    noStepSubqueryIntervalFn: () => ctx.evalInterval,
    enableDelayedNameRemoval: ctx.features.delayedNameRemoval,
    experimental: { functions: ctx.features.experimentalFunctions, durationExpr: false, extendedRangeSelectors: false },
  });
  const query = engineQueryFunc(engine, storage);
  let groups: Group[];
  try {
    groups = await loadGroups(test, ctx, storage, query);
  } catch (err) {
    return problemsOf(err);
  }
  const missingName = test.alertRuleTests.find((a) => a.alertname === '');
  if (missingName !== undefined) {
    const where = test.name !== '' ? ` (in TestGroup ${test.name})` : '';
    return [`an item under alert_rule_test misses required attribute alertname at eval_time ${formatDuration(missingName.evalTime)}${where}`];
  }

  const maxt = mint + maxEvalTime(test);
  const alertTimes = [...new Set(test.alertRuleTests.map((a) => a.evalTime))].sort((a, b) => a - b);
  let nextAlertTime = 0;
  const errs: string[] = [];
  for (let ts = mint; ts <= maxt; ts += ctx.evalInterval) {
    try {
      await loader.appendTill(storage, ts);
    } catch (err) {
      errs.push((err as Error).message);
      continue;
    }
    const evalErrs: string[] = [];
    for (const group of groups) {
      await evalGroup(group, ts);
      for (const rule of group.rules) {
        if (rule.lastError !== undefined) evalErrs.push(`    rule: ${rule.name}, time: ${goDuration(ts)}, err: ${rule.lastError.message}`);
      }
    }
    if (evalErrs.length > 0) return [...errs, ...evalErrs];
    while (nextAlertTime < alertTimes.length && ts - mint <= alertTimes[nextAlertTime]! && alertTimes[nextAlertTime]! < ts + ctx.evalInterval - mint) {
      const t = alertTimes[nextAlertTime++]!;
      errs.push(...checkAlerts(test, test.alertRuleTests.filter((a) => a.evalTime === t), groups));
    }
  }
  for (const testCase of test.promqlExprTests) errs.push(...(await checkExpression(testCase, mint, query, ctx.fuzzyCompare)));
  if (ctx.debug !== undefined) await debugDump(engine, storage, mint, maxEvalTime(test), ctx.debug);
  return errs;
}

/** The rule files' groups over this test's storage, in `group_eval_order`, every alerting rule restored. */
async function loadGroups(test: TestGroup, ctx: TestGroupContext, storage: MemoryStorage, query: QueryFunc): Promise<Group[]> {
  const manager = new RuleManager({
    query,
    appendable: storage,
    queryable: storage,
    ruleFiles: { parser: { enableExperimentalFunctions: ctx.features.experimentalFunctions } },
  });
  const groups = await manager.loadGroups({ files: ctx.ruleFiles, interval: test.interval, externalLabels: test.externalLabels, externalURL: test.externalURL, ignoreUnknownFields: ctx.ignoreUnknownFields });
  for (const group of groups) for (const rule of group.rules) if (rule instanceof AlertingRule) rule.restored = true; // so ALERTS is written from the first round
  const order = (g: Group) => ctx.groupOrder.get(g.name) ?? 0;
  return groups.map((g, i) => ({ g, i })).sort((a, b) => order(a.g) - order(b.g) || a.i - b.i).map(({ g }) => g);
}

/** Compares the firing alerts of every rule named in `cases` with what each case expects. */
function checkAlerts(test: TestGroup, cases: readonly AlertTestCase[], groups: readonly Group[]): string[] {
  const names = new Set(cases.map((c) => c.alertname));
  const got = new Map<string, LabelsAndAnnotations[]>();
  for (const group of groups) {
    for (const rule of group.rules) {
      if (!(rule instanceof AlertingRule) || !names.has(rule.name)) continue;
      const firing = rule.activeAlerts().filter((a) => a.state === AlertState.Firing);
      got.set(rule.name, [...(got.get(rule.name) ?? []), ...firing.map((a) => ({ labels: pairsOf(a.labels), annotations: pairsOf(a.annotations) }))]);
    }
  }
  const errs: string[] = [];
  for (const c of cases) {
    const gotAlerts = sortAlerts([...(got.get(c.alertname) ?? [])]);
    const expAlerts = sortAlerts(c.expAlerts.map((a) => ({ labels: pairsOf({ ...a.labels, alertname: c.alertname }), annotations: pairsOf(a.annotations) })));
    if (alertsEqual(expAlerts, gotAlerts)) continue;
    const name = test.name !== '' ? `    name: ${test.name},\n` : '';
    errs.push(
      `${name}    alertname: ${c.alertname}, time: ${formatDuration(c.evalTime)}, \n        exp:${indentLines(formatAlerts(expAlerts), '            ')}, \n        got:${indentLines(formatAlerts(gotAlerts), '            ')}`,
    );
  }
  return errs;
}

/** Runs a `promql_expr_test` at its time and compares the result with the expected samples. */
async function checkExpression(c: PromqlTestCase, mint: number, query: QueryFunc, fuzzy: boolean): Promise<string[]> {
  const where = `    expr: ${goQuote(c.expr)}, time: ${formatDuration(c.evalTime)}`;
  let result: Sample[];
  try {
    result = await query(c.expr, mint + c.evalTime);
  } catch (err) {
    return [`${where}, err: ${(err as Error).message}`];
  }
  const expected: TestSample[] = [];
  for (const s of c.expSamples) {
    try {
      expected.push({ labels: parseMetric(s.labels), value: s.value, histogram: s.histogram === '' ? '' : parseHistogram(s.histogram) });
    } catch (err) {
      return [`${where}, err: labels ${goQuote(s.labels)}: ${(err as Error).message}`];
    }
  }
  const got: TestSample[] = result.map((s) => ({ labels: s.metric, value: s.f, histogram: s.h?.testExpression() ?? '' }));
  const byLabels = (a: TestSample, b: TestSample) => Labels.compare(a.labels, b.labels);
  expected.sort(byLabels);
  got.sort(byLabels);
  if (samplesEqual(expected, got, fuzzy)) return [];
  return [`${where},\n        exp: ${formatSamples(expected)}\n        got: ${formatSamples(got)}`];
}

/** Upstream's `parser.ParseMetric`: `name{l="v"}`, `{l="v"}` or `name`; empty text is no labels. */
function parseMetric(text: string): Labels {
  if (text.trim() === '') return Labels.EMPTY;
  const description = parseSeriesDescription(text);
  if (description.values.length > 0) throw new Error(`unexpected values after the labels in ${goQuote(text)}`);
  return description.labels;
}

/** An expected native histogram (`{{…}}`, exactly one value) in the test notation results are printed in. */
function parseHistogram(text: string): string {
  const { values } = parseSeriesDescription(`{} ${text}`);
  if (values.length !== 1) throw new Error(`expected 1 value, got ${values.length}`);
  const h = values[0]!.histogram;
  if (h === undefined) throw new Error(`expected histogram, got ${text.trim()}`);
  return h.testExpression();
}

function problemsOf(err: unknown): string[] {
  if (err instanceof RulesError && Array.isArray(err.cause)) return (err.cause as RulesError[]).map((e) => e.message);
  return [(err as Error).message];
}

/** The latest `eval_time` of the group's tests, ms. */
function maxEvalTime(test: TestGroup): number {
  return Math.max(0, ...test.alertRuleTests.map((a) => a.evalTime), ...test.promqlExprTests.map((p) => p.evalTime));
}

/** Go's `time.Duration.String()` of ms since the epoch, as upstream prints evaluation times of failed rules. */
function goDuration(ms: number): string {
  return new GoDuration(BigInt(ms) * 1_000_000n).toString();
}
