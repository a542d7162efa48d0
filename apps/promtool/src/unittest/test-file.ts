import { readFile } from 'node:fs/promises';
import { ConfigError, readDuration, YamlReader, type YNode } from '@pyrometer/config';
import { parseGoFloat } from '@pyrometer/model';
import { PromtoolError } from '../errors.js';
import { parseTime } from '../time.js';

/** One `input_series` entry: a series in PromQL notation and its values in the expanding notation. */
export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

/** An expected alert: the alert's labels (without `alertname`) and annotations. */
export interface ExpectedAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** One `alert_rule_test` entry. Times in ms from the test's start. */
export interface AlertTestCase {
  readonly evalTime: number;
  readonly alertname: string;
  readonly expAlerts: readonly ExpectedAlert[];
}

/** One expected sample of a `promql_expr_test`: labels in PromQL notation, a float or a histogram. */
export interface ExpectedSample {
  readonly labels: string;
  readonly value: number;
  /** A native histogram in series notation; when set, `value` is ignored. */
  readonly histogram: string;
}

/** One `promql_expr_test` entry. */
export interface PromqlTestCase {
  readonly expr: string;
  readonly evalTime: number;
  readonly expSamples: readonly ExpectedSample[];
}

/** One entry of `tests`. Durations in ms; 0 means "not set". */
export interface TestGroup {
  readonly name: string;
  readonly interval: number;
  readonly inputSeries: readonly InputSeries[];
  readonly alertRuleTests: readonly AlertTestCase[];
  readonly promqlExprTests: readonly PromqlTestCase[];
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly externalURL: string;
  /** The test's time origin, ms since the epoch; undefined means the epoch itself. */
  readonly startTimestamp: number | undefined;
}

/** A rule unit-test file as written (upstream's `unitTestFile`). Durations in ms; 0 means "not set". */
export interface UnitTestFile {
  /** Rule files as written: relative to the test file, globs in the last element. */
  readonly ruleFiles: readonly string[];
  readonly evaluationInterval: number;
  readonly groupEvalOrder: readonly string[];
  readonly tests: readonly TestGroup[];
  readonly fuzzyCompare: boolean;
}

/**
 * Reads a unit-test file strictly, as upstream's `yaml.UnmarshalStrict` does: unknown or repeated
 * fields, wrong types and bad durations fail with a {@link PromtoolError} naming the file, line and
 * column (and upstream's Go type, e.g. `field x not found in type main.testGroup`).
 */
export async function readUnitTestFile(path: string): Promise<UnitTestFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new PromtoolError('test_file', (err as Error).message, { cause: err });
  }
  return parseUnitTestFile(text, path);
}

/** Parses the text of a unit-test file; `file` names it in messages. */
export function parseUnitTestFile(text: string, file: string): UnitTestFile {
  try {
    const r = new YamlReader(file, text);
    let ruleFiles: string[] = [];
    let evaluationInterval = 0;
    let groupEvalOrder: string[] = [];
    let tests: TestGroup[] = [];
    let fuzzyCompare = false;
    r.struct(r.root, 'main.unitTestFile', {
      rule_files: (n) => (ruleFiles = r.strings(n, 'rule_files')),
      evaluation_interval: (n) => (evaluationInterval = readDuration(r, n, 'evaluation_interval')),
      group_eval_order: (n) => (groupEvalOrder = r.strings(n, 'group_eval_order')),
      tests: (n) => (tests = r.list(n, 'tests', (g) => readTestGroup(r, g))),
      fuzzy_compare: (n) => (fuzzyCompare = r.bool(n, 'fuzzy_compare')),
    });
    return { ruleFiles, evaluationInterval, groupEvalOrder, tests, fuzzyCompare };
  } catch (err) {
    if (err instanceof ConfigError) throw new PromtoolError('test_file', err.message, { cause: err });
    throw err;
  }
}

function readTestGroup(r: YamlReader, node: YNode): TestGroup {
  let name = '';
  let interval = 0;
  let inputSeries: InputSeries[] = [];
  let alertRuleTests: AlertTestCase[] = [];
  let promqlExprTests: PromqlTestCase[] = [];
  let externalLabels: Record<string, string> = {};
  let externalURL = '';
  let startTimestamp: number | undefined;
  r.struct(node, 'main.testGroup', {
    name: (n) => (name = r.string(n, 'name')),
    interval: (n) => (interval = readDuration(r, n, 'interval')),
    input_series: (n) => (inputSeries = r.list(n, 'input_series', (s) => readInputSeries(r, s))),
    alert_rule_test: (n) => (alertRuleTests = r.list(n, 'alert_rule_test', (a) => readAlertTest(r, a))),
    promql_expr_test: (n) => (promqlExprTests = r.list(n, 'promql_expr_test', (p) => readPromqlTest(r, p))),
    external_labels: (n) => (externalLabels = readStringMap(r, n, 'external_labels')),
    external_url: (n) => (externalURL = r.string(n, 'external_url')),
    start_timestamp: (n) => (startTimestamp = readTime(r, n, 'start_timestamp')),
  });
  return { name, interval, inputSeries, alertRuleTests, promqlExprTests, externalLabels, externalURL, startTimestamp };
}

function readInputSeries(r: YamlReader, node: YNode): InputSeries {
  let series = '';
  let values = '';
  r.struct(node, 'main.series', {
    series: (n) => (series = r.string(n, 'series')),
    values: (n) => (values = r.string(n, 'values')),
  });
  return { series, values };
}

function readAlertTest(r: YamlReader, node: YNode): AlertTestCase {
  let evalTime = 0;
  let alertname = '';
  let expAlerts: ExpectedAlert[] = [];
  r.struct(node, 'main.alertTestCase', {
    eval_time: (n) => (evalTime = readDuration(r, n, 'eval_time')),
    alertname: (n) => (alertname = r.string(n, 'alertname')),
    exp_alerts: (n) =>
      (expAlerts = r.list(n, 'exp_alerts', (a) => {
        let labels: Record<string, string> = {};
        let annotations: Record<string, string> = {};
        r.struct(a, 'main.alert', {
          exp_labels: (v) => (labels = readStringMap(r, v, 'exp_labels')),
          exp_annotations: (v) => (annotations = readStringMap(r, v, 'exp_annotations')),
        });
        return { labels, annotations };
      })),
  });
  return { evalTime, alertname, expAlerts };
}

function readPromqlTest(r: YamlReader, node: YNode): PromqlTestCase {
  let expr = '';
  let evalTime = 0;
  let expSamples: ExpectedSample[] = [];
  r.struct(node, 'main.promqlTestCase', {
    expr: (n) => (expr = r.string(n, 'expr')),
    eval_time: (n) => (evalTime = readDuration(r, n, 'eval_time')),
    exp_samples: (n) =>
      (expSamples = r.list(n, 'exp_samples', (s) => {
        let labels = '';
        let value = 0;
        let histogram = '';
        r.struct(s, 'main.sample', {
          labels: (v) => (labels = r.string(v, 'labels')),
          value: (v) => (value = readFloat(r, v, 'value')),
          histogram: (v) => (histogram = r.string(v, 'histogram')),
        });
        return { labels, value, histogram };
      })),
  });
  return { expr, evalTime, expSamples };
}

function readStringMap(r: YamlReader, node: YNode, what: string): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const [key, value] of r.entries(node, what, (v) => r.string(v, `${what} value`))) out[key] = value;
  return out;
}

/** A YAML number as Go's yaml decoder reads it into a float64: plain scalars only, `.inf`/`.nan` included. */
function readFloat(r: YamlReader, node: YNode, what: string): number {
  const text = r.string(node, what);
  const special = YAML_SPECIAL_FLOATS[text];
  const value = special ?? parseGoFloat(text);
  if (value === undefined) throw r.error(node, `cannot unmarshal ${JSON.stringify(text)} into float64 (${what})`);
  return value;
}

const YAML_SPECIAL_FLOATS: Readonly<Record<string, number>> = { '.inf': Infinity, '.Inf': Infinity, '.INF': Infinity, '+.inf': Infinity, '-.inf': -Infinity, '-.Inf': -Infinity, '-.INF': -Infinity, '.nan': NaN, '.NaN': NaN, '.NAN': NaN };

function readTime(r: YamlReader, node: YNode, what: string): number {
  try {
    return parseTime(r.string(node, what));
  } catch (err) {
    throw r.error(node, `${what}: ${(err as Error).message}`);
  }
}
