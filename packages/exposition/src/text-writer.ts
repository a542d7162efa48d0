import { formatExpositionValue } from '@pyrometer/model';
import { ExpositionError } from './exposition-error.js';
import { MetricType, type Metric, type MetricFamily } from './metric-family.js';
import { escapeString, writeName } from './internal/escape.js';
import { SampleLines } from './internal/sample-line.js';

/** The text-format TYPE word; types the text format lacks are written as their nearest kin. */
function textType(type: MetricType): string {
  switch (type) {
    case MetricType.Info:
    case MetricType.StateSet:
      return 'gauge';
    case MetricType.GaugeHistogram:
      return 'histogram';
    case MetricType.Unknown:
      return 'untyped';
    default:
      return type;
  }
}

function missing(family: MetricFamily, metric: Metric, what: string): never {
  throw new ExpositionError('encode', `expected ${what} in metric ${family.name}${metric.labels.toString()}`);
}

/**
 * Writes families in text format 0.0.4, byte for byte as Go's expfmt `MetricFamilyToText` does:
 * families and metrics in the given order, labels in the label set's (sorted) order, HELP only when
 * defined, summaries as quantiles then `_sum` and `_count`, histograms as `_bucket{le=…}` (adding
 * `+Inf` when missing) then `_sum` and `_count`, timestamps in ms when set. Throws an
 * {@link ExpositionError} with code `encode` for a metric lacking its type's value.
 */
export function writeText(families: readonly MetricFamily[]): string {
  let out = '';
  for (const family of families) out += familyToText(family);
  return out;
}

function familyToText(family: MetricFamily): string {
  const name = family.name;
  const v = formatExpositionValue;
  let out = '';
  if (family.help !== undefined) out += '# HELP ' + writeName(name) + ' ' + escapeString(family.help, false) + '\n';
  const type = textType(family.type);
  out += '# TYPE ' + writeName(name) + ' ' + type + '\n';
  for (const metric of family.metrics) {
    const lines = new SampleLines(name, metric.labels, metric.timestampMs === undefined ? '' : ' ' + String(metric.timestampMs));
    if (type === 'summary') {
      const s = metric.summary ?? missing(family, metric, 'summary');
      for (const q of s.quantiles) out += lines.line('', 'quantile="' + v(q.quantile) + '"', v(q.value));
      out += lines.line('_sum', '', v(s.sampleSum)) + lines.line('_count', '', v(s.sampleCount));
    } else if (type === 'histogram') {
      const h = metric.histogram ?? missing(family, metric, 'histogram');
      let infSeen = false;
      for (const b of h.buckets) {
        out += lines.line('_bucket', 'le="' + v(b.upperBound) + '"', v(b.cumulativeCount));
        if (b.upperBound === Infinity) infSeen = true;
      }
      if (!infSeen) out += lines.line('_bucket', 'le="+Inf"', v(h.sampleCount));
      out += lines.line('_sum', '', v(h.sampleSum)) + lines.line('_count', '', v(h.sampleCount));
    } else {
      out += lines.line('', '', v(metric.value ?? missing(family, metric, type)));
    }
  }
  return out;
}
