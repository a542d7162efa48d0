import type { Metric, MetricType } from '@pyrometer/exposition';
import { formatGoFloat } from '@pyrometer/model';

/** client_model's upper-case type names, as Go prints `dto.MetricType`. */
export function goTypeName(type: MetricType): string {
  return type.toUpperCase();
}

/**
 * A metric in golang/protobuf's compact text form (`label:<name:"job" value:"x" > gauge:<value:1 > `),
 * which client_golang puts into its consistency errors; byte-identical to what Debian's
 * pushgateway answers. (Newer protobuf-go output randomizes its spacing, so it cannot be matched.)
 */
export function describeMetric(metric: Metric, type: MetricType): string {
  let out = '';
  metric.labels.forEach((name, value) => (out += `label:<name:${quote(name)} value:${quote(value)} > `));
  if (metric.summary !== undefined) {
    const s = metric.summary;
    out += `summary:<sample_count:${s.sampleCount} sample_sum:${num(s.sampleSum)} `;
    for (const q of s.quantiles) out += `quantile:<quantile:${num(q.quantile)} value:${num(q.value)} > `;
    out += '> ';
  } else if (metric.histogram !== undefined) {
    const h = metric.histogram;
    out += `histogram:<sample_count:${h.sampleCount} sample_sum:${num(h.sampleSum)} `;
    for (const b of h.buckets) out += `bucket:<cumulative_count:${b.cumulativeCount} upper_bound:${num(b.upperBound)} > `;
    out += '> ';
  } else if (metric.value !== undefined) {
    const field = type === 'counter' ? 'counter' : type === 'gauge' ? 'gauge' : 'untyped';
    out += `${field}:<value:${num(metric.value)} > `;
  }
  return out;
}

function num(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return formatGoFloat(v, 'g');
}

/** The text format's string literal: C escapes, other bytes outside printable ASCII as octal. */
function quote(s: string): string {
  let out = '"';
  for (const byte of Buffer.from(s, 'utf8')) {
    if (byte === 0x0a) out += '\\n';
    else if (byte === 0x0d) out += '\\r';
    else if (byte === 0x09) out += '\\t';
    else if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte < 0x20 || byte >= 0x7f) out += '\\' + byte.toString(8).padStart(3, '0');
    else out += String.fromCharCode(byte);
  }
  return out + '"';
}
