import { formatOpenMetricsFloat } from '@pyrometer/model';
import { ExpositionError } from './exposition-error.js';
import { MetricType, type Metric, type MetricFamily } from './metric-family.js';
import { escapeString, writeName } from './internal/escape.js';
import { SampleLines } from './internal/sample-line.js';

function missing(family: MetricFamily, metric: Metric, what: string): never {
  throw new ExpositionError('encode', `expected ${what} in metric ${family.name}${metric.labels.toString()}`);
}

/** Integer counts as Go's strconv.AppendUint writes them (no exponent for large values). */
function uint(n: number): string {
  return n < 1e21 ? String(n) : BigInt(n).toString();
}

/**
 * Writes families in OpenMetrics 1.0 text, as Go's expfmt `MetricFamilyToOpenMetrics` plus
 * `FinalizeOpenMetrics` do: a counter named `x_total` is announced as `x` (without `_total` it is
 * announced as `unknown`), untyped becomes `unknown`, floats keep a `.0` (`1.0`), counts are
 * integers, timestamps are seconds, HELP escapes `"` too, and the body ends with `# EOF`. A
 * defined `unit` is written as a `# UNIT` line after TYPE (newer expfmt). Info, stateset and
 * gauge-histogram families are written with their OpenMetrics types (expfmt has none). Throws an
 * {@link ExpositionError} with code `encode` for a metric lacking its type's value.
 */
export function writeOpenMetrics(families: readonly MetricFamily[]): string {
  let out = '';
  for (const family of families) out += familyToOpenMetrics(family);
  return out + '# EOF\n';
}

function omType(family: MetricFamily): string {
  switch (family.type) {
    case MetricType.Counter:
      return family.name.endsWith('_total') ? 'counter' : 'unknown';
    case MetricType.Untyped:
      return 'unknown';
    default:
      return family.type;
  }
}

function familyToOpenMetrics(family: MetricFamily): string {
  const name = family.name;
  const type = omType(family);
  const shortName = type === 'counter' ? name.slice(0, -'_total'.length) : name;
  const f = formatOpenMetricsFloat;
  let out = '';
  if (family.help !== undefined) out += '# HELP ' + writeName(shortName) + ' ' + escapeString(family.help, true) + '\n';
  out += '# TYPE ' + writeName(shortName) + ' ' + type + '\n';
  if (family.unit !== undefined && family.unit !== '') out += '# UNIT ' + writeName(shortName) + ' ' + family.unit + '\n';
  for (const metric of family.metrics) {
    const lines = new SampleLines(name, metric.labels, metric.timestampMs === undefined ? '' : ' ' + f(metric.timestampMs / 1000));
    if (type === 'summary') {
      const s = metric.summary ?? missing(family, metric, 'summary');
      for (const q of s.quantiles) out += lines.line('', 'quantile="' + f(q.quantile) + '"', f(q.value));
      out += lines.line('_sum', '', f(s.sampleSum)) + lines.line('_count', '', uint(s.sampleCount));
    } else if (type === 'histogram' || type === 'gaugehistogram') {
      const h = metric.histogram ?? missing(family, metric, 'histogram');
      let infSeen = false;
      for (const b of h.buckets) {
        out += lines.line('_bucket', 'le="' + f(b.upperBound) + '"', uint(b.cumulativeCount));
        if (b.upperBound === Infinity) infSeen = true;
      }
      if (!infSeen) out += lines.line('_bucket', 'le="+Inf"', uint(h.sampleCount));
      const g = type === 'gaugehistogram' ? '_g' : '_';
      out += lines.line(g + 'sum', '', f(h.sampleSum)) + lines.line(g + 'count', '', uint(h.sampleCount));
    } else {
      out += lines.line('', '', f(metric.value ?? missing(family, metric, type)));
    }
  }
  return out;
}
