import type { Metric, MetricFamily } from '@pyrometer/exposition';
import { formatGoFloat } from '@pyrometer/model';

const goFloat = (v: number): string => formatGoFloat(v, 'g');
import type { GroupSnapshot } from '../store.js';

/**
 * The `data` of `GET /api/v1/metrics`: one object per group with its grouping `labels`,
 * `last_push_successful` and one entry per family name (`time_stamp`, `type`, `help`, `metrics`),
 * values formatted as Go's `fmt.Sprint` does.
 */
export function groupsAsJson(groups: readonly GroupSnapshot[]): Record<string, unknown>[] {
  return groups.map((group) => {
    const out: Record<string, unknown> = { labels: sortKeys(group.labels), last_push_successful: group.pushFailureTimeSeconds <= group.pushTimeSeconds };
    for (const [name, { family, timestampMs }] of group.families) {
      const entry: Record<string, unknown> = { time_stamp: new Date(timestampMs).toISOString(), type: family.type.toUpperCase() };
      if (family.help !== undefined && family.help !== '') entry['help'] = family.help;
      entry['metrics'] = family.metrics.map((m) => metricAsJson(m, family));
      out[name] = entry;
    }
    return sortKeys(out);
  });
}

function metricAsJson(metric: Metric, family: MetricFamily): Record<string, unknown> {
  const out: Record<string, unknown> = { labels: labelsRecord(metric) };
  if (family.type === 'summary') {
    const s = metric.summary ?? { sampleCount: 0, sampleSum: 0, quantiles: [] };
    out['quantiles'] = sortKeys(Object.fromEntries(s.quantiles.map((q) => [goFloat(q.quantile), goFloat(q.value)])));
    out['count'] = String(s.sampleCount);
    out['sum'] = goFloat(s.sampleSum);
  } else if (family.type === 'histogram') {
    const h = metric.histogram ?? { sampleCount: 0, sampleSum: 0, buckets: [] };
    out['sum'] = goFloat(h.sampleSum);
    out['buckets'] = sortKeys(Object.fromEntries(h.buckets.map((b) => [goFloat(b.upperBound), String(b.cumulativeCount)])));
    out['count'] = String(h.sampleCount);
  } else {
    out['value'] = goFloat(metric.value ?? 0);
  }
  return sortKeys(out);
}

function labelsRecord(metric: Metric): Record<string, string> {
  const out: Record<string, string> = {};
  metric.labels.forEach((name, value) => (out[name] = value));
  return out;
}

/** Go's encoding/json writes map keys sorted; do the same so the bytes match. */
function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
