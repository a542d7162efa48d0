import type { Metric, MetricFamily, MetricType } from '@pyrometer/exposition';
import { Labels } from '@pyrometer/model';

/** Test helper: a family of simple-valued metrics from `{labels, value}` pairs. */
export function fam(name: string, type: MetricType, metrics: { labels?: Record<string, string>; value?: number; timestampMs?: number }[], help?: string): MetricFamily {
  return {
    name,
    help,
    type,
    metrics: metrics.map((m): Metric => {
      const out: Metric = { labels: Labels.from(m.labels ?? {}) };
      if (type === 'summary') out.summary = { sampleCount: 1, sampleSum: m.value ?? 0, quantiles: [{ quantile: 0.5, value: m.value ?? 0 }] };
      else if (type === 'histogram') out.histogram = { sampleCount: 1, sampleSum: m.value ?? 0, buckets: [{ upperBound: Infinity, cumulativeCount: 1 }] };
      else out.value = m.value ?? 0;
      if (m.timestampMs !== undefined) out.timestampMs = m.timestampMs;
      return out;
    }),
  };
}
