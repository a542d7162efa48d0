import { MetricType, type MetricFamily } from '@pyrometer/exposition';

/** One lint finding: the family it is about and what is wrong. */
export interface LintProblem {
  readonly metric: string;
  readonly text: string;
}

/**
 * client_golang's `promlint` checks, in its words: HELP present, base units, counter `_total`
 * suffix, reserved histogram/summary suffixes and labels, type in the name, `:` in names,
 * snake_case names and labels, abbreviated units, repeated label sets. Findings are sorted by
 * metric, then text, as promlint sorts them.
 */
export function lintFamilies(families: readonly MetricFamily[]): LintProblem[] {
  const problems = families.flatMap((f) => CHECKS.flatMap((check) => check(f).map((text) => ({ metric: f.name, text }))));
  return problems.sort((a, b) => (a.metric === b.metric ? cmp(a.text, b.text) : cmp(a.metric, b.metric)));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type Check = (f: MetricFamily) => string[];

const CHECKS: readonly Check[] = [lintHelp, lintUnits, lintCounter, lintReservedSuffixes, lintTypeInName, lintReservedChars, lintCamelCase, lintUnitAbbreviations, lintDuplicates];

function lintHelp(f: MetricFamily): string[] {
  return f.help === undefined ? ['no help text'] : [];
}

const BASE_UNITS: Readonly<Record<string, string>> = {
  amperes: 'amperes', bytes: 'bytes', celsius: 'celsius', grams: 'grams', joules: 'joules', kelvin: 'kelvin', meters: 'meters', metres: 'metres', seconds: 'seconds', volts: 'volts',
  minutes: 'seconds', hours: 'seconds', days: 'seconds', weeks: 'seconds',
  kelvins: 'kelvin', fahrenheit: 'celsius', rankine: 'celsius',
  inches: 'meters', yards: 'meters', miles: 'meters',
  bits: 'bytes', calories: 'joules', pounds: 'grams', ounces: 'grams',
};
const UNIT_PREFIXES = ['pico', 'nano', 'micro', 'milli', 'centi', 'deci', 'deca', 'hecto', 'kilo', 'kibi', 'mega', 'mibi', 'giga', 'gibi', 'tera', 'tebi', 'peta', 'pebi'];
const UNIT_ABBREVIATIONS = ['s', 'ms', 'us', 'ns', 'sec', 'b', 'kb', 'mb', 'gb', 'tb', 'pb', 'm', 'h', 'd'];

/** The first name part that is a unit (possibly with an SI prefix), and its base unit. */
function unitOf(name: string): { unit: string; base: string } | undefined {
  for (const part of name.split('_')) {
    const base = BASE_UNITS[part];
    if (base !== undefined) return { unit: part, base };
    for (const prefix of UNIT_PREFIXES) {
      const prefixed = part.startsWith(prefix) ? BASE_UNITS[part.slice(prefix.length)] : undefined;
      if (prefixed !== undefined) return { unit: part, base: prefixed };
    }
  }
  return undefined;
}

function lintUnits(f: MetricFamily): string[] {
  const found = unitOf(f.name);
  return found === undefined || found.unit === found.base ? [] : [`use base unit ${JSON.stringify(found.base)} instead of ${JSON.stringify(found.unit)}`];
}

function lintCounter(f: MetricFamily): string[] {
  const total = f.name.endsWith('_total');
  if (f.type === MetricType.Counter && !total) return ['counter metrics should have "_total" suffix'];
  if (f.type !== MetricType.Untyped && f.type !== MetricType.Counter && total) return ['non-counter metrics should not have "_total" suffix'];
  return [];
}

function lintReservedSuffixes(f: MetricFamily): string[] {
  if (f.type === MetricType.Untyped) return [];
  const histogram = f.type === MetricType.Histogram;
  const summary = f.type === MetricType.Summary;
  const out: string[] = [];
  if (!histogram && f.name.endsWith('_bucket')) out.push('non-histogram metrics should not have "_bucket" suffix');
  if (!histogram && !summary && f.name.endsWith('_count')) out.push('non-histogram and non-summary metrics should not have "_count" suffix');
  if (!histogram && !summary && f.name.endsWith('_sum')) out.push('non-histogram and non-summary metrics should not have "_sum" suffix');
  for (const m of f.metrics) {
    m.labels.forEach((name) => {
      if (!histogram && name === 'le') out.push('non-histogram metrics should not have "le" label');
      if (!summary && name === 'quantile') out.push('non-summary metrics should not have "quantile" label');
    });
  }
  return out;
}

function lintTypeInName(f: MetricFamily): string[] {
  if (f.type === MetricType.Untyped) return [];
  const name = f.name.toLowerCase();
  return name.includes(`_${f.type}_`) || name.endsWith(`_${f.type}`) ? [`metric name should not include type '${f.type}'`] : [];
}

function lintReservedChars(f: MetricFamily): string[] {
  return f.name.includes(':') ? ["metric names should not contain ':'"] : [];
}

const CAMEL_CASE = /[a-z][A-Z]/;

function lintCamelCase(f: MetricFamily): string[] {
  const out = CAMEL_CASE.test(f.name) ? ["metric names should be written in 'snake_case' not 'camelCase'"] : [];
  for (const m of f.metrics) {
    m.labels.forEach((name) => {
      if (CAMEL_CASE.test(name)) out.push("label names should be written in 'snake_case' not 'camelCase'");
    });
  }
  return out;
}

function lintUnitAbbreviations(f: MetricFamily): string[] {
  const name = f.name.toLowerCase();
  return UNIT_ABBREVIATIONS.filter((a) => name.includes(`_${a}_`) || name.endsWith(`_${a}`)).map(() => 'metric names should not contain abbreviated units');
}

function lintDuplicates(f: MetricFamily): string[] {
  const out: string[] = [];
  f.metrics.forEach((m, i) => {
    if (f.metrics.slice(i + 1).some((other) => other.labels.equals(m.labels))) out.push('metric not unique');
  });
  return out;
}
