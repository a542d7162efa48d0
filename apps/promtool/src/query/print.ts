import { compareUtf8, formatGoFloat, goQuote, parseGoFloat } from '@pyrometer/model';
import { marshalJSON } from '@pyrometer/template';

type Metric = Readonly<Record<string, string>>;
type Pair = readonly [number, string];

/** A query result as the API encodes it (`resultType` and `result`). */
export interface QueryData {
  readonly resultType: string;
  readonly result: unknown;
}

/** How promtool prints results: `promql` (client_golang's `String()` texts) or `json` (its JSON encoding). */
export interface Printer {
  value(data: QueryData): string;
  series(series: readonly Metric[]): string;
  labelValues(values: readonly string[]): string;
}

/** `-o promql`: `name{l="v"} => 1 @[1700000000]` per sample, `=>` then one `value @[t]` line per point for ranges. */
export const promqlPrinter: Printer = {
  value(data) {
    switch (data.resultType) {
      case 'vector':
        return lines((data.result as { metric: Metric; value: Pair }[]).map((s) => `${metricString(s.metric)} => ${pairString(s.value)}`));
      case 'matrix': {
        const streams = [...(data.result as { metric: Metric; values?: Pair[] }[])].sort((a, b) => compareMetrics(a.metric, b.metric));
        return lines(streams.map((s) => `${metricString(s.metric)} =>\n${(s.values ?? []).map(pairString).join('\n')}`));
      }
      case 'scalar':
        return lines([`scalar: ${valueString((data.result as Pair)[1])} @[${timeString((data.result as Pair)[0])}]`]);
      default:
        return lines([String((data.result as Pair)[1])]);
    }
  },
  series: (series) => series.map((s) => `${labelSetString(s)}\n`).join(''),
  labelValues: (values) => values.map((v) => `${v}\n`).join(''),
};

/** `-o json`: Go's JSON encoding of the same values (sorted keys, HTML-safe strings), one document and a newline. */
export const jsonPrinter: Printer = {
  value(data) {
    if (data.resultType === 'vector') return json((data.result as { metric: Metric; value: Pair }[]).map((s) => ({ metric: s.metric, value: jsonPair(s.value) })));
    if (data.resultType === 'matrix') return json((data.result as { metric: Metric; values?: Pair[] }[]).map((s) => ({ metric: s.metric, values: (s.values ?? []).map(jsonPair) })));
    return json(jsonPair(data.result as Pair));
  },
  series: (series) => json(series),
  labelValues: (values) => json(values),
};

function json(v: unknown): string {
  return `${marshalJSON(v)}\n`;
}

function jsonPair([t, v]: Pair): [number, string] {
  return [Math.round(t * 1000) / 1000, v];
}

function lines(entries: readonly string[]): string {
  return `${entries.join('\n')}\n`;
}

/** model.Metric's String(): the name, then `{label="value", …}` sorted, without `__name__`. */
function metricString(m: Metric): string {
  const name = m['__name__'] ?? '';
  const labels = Object.entries(m)
    .filter(([k]) => k !== '__name__')
    .map(([k, v]) => `${k}=${goQuote(v)}`)
    .sort();
  if (labels.length === 0) return name !== '' ? name : '{}';
  return `${name}{${labels.join(', ')}}`;
}

/** model.LabelSet's String(): `{name="value", …}` with names sorted. */
function labelSetString(m: Metric): string {
  return `{${Object.keys(m)
    .sort(compareUtf8)
    .map((k) => `${k}=${goQuote(m[k]!)}`)
    .join(', ')}}`;
}

/** model.LabelSet's Before(): fewer labels first, then name by name and value by value. */
function compareMetrics(a: Metric, b: Metric): number {
  const ka = Object.keys(a).sort(compareUtf8);
  const kb = Object.keys(b).sort(compareUtf8);
  if (ka.length !== kb.length) return ka.length - kb.length;
  for (let i = 0; i < ka.length; i++) {
    const byName = compareUtf8(ka[i]!, kb[i]!);
    if (byName !== 0) return byName;
  }
  for (const k of ka) {
    const byValue = compareUtf8(a[k]!, b[k]!);
    if (byValue !== 0) return byValue;
  }
  return 0;
}

function pairString([t, v]: Pair): string {
  return `${valueString(v)} @[${timeString(t)}]`;
}

/** A sample value as Go's `FormatFloat(v, 'f', -1, 64)`. */
function valueString(v: string): string {
  const f = parseGoFloat(v);
  return f === undefined ? v : formatGoFloat(f, 'f');
}

/** A timestamp (seconds, ms precision) as model.Time's String(). */
function timeString(t: number): string {
  return formatGoFloat(Math.round(t * 1000) / 1000, 'f');
}
