import { compareUtf8, formatGoFloat, goQuote, isLegacyLabelName, type Labels } from '@pyrometer/model';

/**
 * Name/value pairs sorted by name, empty values kept: how upstream holds an alert's labels and
 * annotations in a unit test (`labels.FromMap`), so an annotation expanded to "" still counts.
 */
export type Pairs = readonly (readonly [string, string])[];

/** Pairs from a record or a label set, sorted by name. */
export function pairsOf(source: Readonly<Record<string, string>> | Labels): Pairs {
  const entries: [string, string][] = Symbol.iterator in source ? [...(source as Labels)].map(([n, v]) => [n, v]) : Object.entries(source);
  return entries.sort((a, b) => compareUtf8(a[0], b[0]));
}

/** Go's `labels.Labels.String()` of pairs: `{a="1", b="2"}`. */
export function formatPairs(pairs: Pairs): string {
  return `{${pairs.map(([n, v]) => `${isLegacyLabelName(n) ? n : goQuote(n)}=${goQuote(v)}`).join(', ')}}`;
}

/** Upstream's `labels.Compare`: name by name, then value by value; a prefix sorts first. */
export function comparePairs(a: Pairs, b: Pairs): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const byName = compareUtf8(a[i]![0], b[i]![0]);
    if (byName !== 0) return byName;
    const byValue = compareUtf8(a[i]![1], b[i]![1]);
    if (byValue !== 0) return byValue;
  }
  return a.length - b.length;
}

function pairsEqual(a: Pairs, b: Pairs): boolean {
  return comparePairs(a, b) === 0;
}

/** One alert as a unit test compares it. */
export interface LabelsAndAnnotations {
  readonly labels: Pairs;
  readonly annotations: Pairs;
}

/** Sorts alerts by labels, then annotations, as upstream before comparing. */
export function sortAlerts(alerts: LabelsAndAnnotations[]): LabelsAndAnnotations[] {
  return alerts.sort((x, y) => comparePairs(x.labels, y.labels) || comparePairs(x.annotations, y.annotations));
}

export function alertsEqual(a: readonly LabelsAndAnnotations[], b: readonly LabelsAndAnnotations[]): boolean {
  return a.length === b.length && a.every((x, i) => pairsEqual(x.labels, b[i]!.labels) && pairsEqual(x.annotations, b[i]!.annotations));
}

/** Upstream's listing of alerts in a failure: `[]`, or numbered `Labels:`/`Annotations:` blocks, indented as it indents them. */
export function formatAlerts(alerts: readonly LabelsAndAnnotations[]): string {
  if (alerts.length === 0) return '[]';
  const blocks = alerts.map((a, i) => `${i}:${indentLines(`\nLabels:${formatPairs(a.labels)}\nAnnotations:${formatPairs(a.annotations)}`, '  ')}`);
  return `[\n${blocks.join(',\n')}\n]`;
}

/** One sample of a `promql_expr_test`, expected or got. */
export interface TestSample {
  readonly labels: Labels;
  readonly value: number;
  /** The histogram in test notation; '' for a float sample. */
  readonly histogram: string;
}

/** Go's `strconv.FormatFloat(v, 'E', -1, 64)`: `1E+00`, `3.0000000000000004E+00`, `NaN`, `+Inf`. */
export function formatFloatE(v: number): string {
  return Number.isFinite(v) ? formatGoFloat(v, 'e').toUpperCase() : formatGoFloat(v, 'e');
}

/** Upstream's text of samples in a failure: `{__name__="x"} 1E+00, …`, or `nil` for none. */
export function formatSamples(samples: readonly TestSample[]): string {
  if (samples.length === 0) return 'nil';
  return samples.map((s) => `${s.labels.toString()} ${s.histogram !== '' ? s.histogram : formatFloatE(s.value)}`).join(', ');
}

/**
 * True when both lists hold the same samples in order: equal labels, equal histograms, and floats
 * equal exactly — or, with `fuzzy`, within one representable float of each other. NaN never
 * equals anything, as in upstream's comparison.
 */
export function samplesEqual(a: readonly TestSample[], b: readonly TestSample[], fuzzy: boolean): boolean {
  const floatsEqual = (x: number, y: number) => x === y || (fuzzy && (nextAfter(x, -Infinity) === y || nextAfter(x, Infinity) === y));
  return a.length === b.length && a.every((x, i) => x.labels.equals(b[i]!.labels) && x.histogram === b[i]!.histogram && floatsEqual(x.value, b[i]!.value));
}

/** Go's `math.Nextafter`: the next representable float64 after `x` towards `to`. */
export function nextAfter(x: number, to: number): number {
  if (Number.isNaN(x) || Number.isNaN(to)) return NaN;
  if (x === to) return to;
  if (x === 0) return to > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, (to > x) === (x > 0) ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

/** Upstream's `indentLines`: every line after the first gets `indent` in front. */
export function indentLines(text: string, indent: string): string {
  return text.split('\n').join(`\n${indent}`);
}
