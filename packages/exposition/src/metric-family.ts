import type { Labels } from '@pyrometer/model';

/** Family types across text 0.0.4, OpenMetrics 1.0 and the protobuf format. */
export const MetricType = {
  Counter: 'counter',
  Gauge: 'gauge',
  Summary: 'summary',
  Untyped: 'untyped',
  Histogram: 'histogram',
  GaugeHistogram: 'gaugehistogram',
  Info: 'info',
  StateSet: 'stateset',
  Unknown: 'unknown',
} as const;
export type MetricType = (typeof MetricType)[keyof typeof MetricType];

export interface Quantile {
  quantile: number;
  value: number;
}

export interface Bucket {
  /** The `le` bound; `Infinity` for the `+Inf` bucket. */
  upperBound: number;
  cumulativeCount: number;
}

/**
 * One metric (one label set) of a family, in the shape of client_model's `Metric`: exactly one
 * of `value`, `summary` or `histogram` is set, matching the family's type (counter, gauge, untyped,
 * unknown, info and stateset families use `value`).
 */
export interface Metric {
  /** The metric's labels, without `__name__` (the family name is the metric name). */
  labels: Labels;
  value?: number;
  summary?: { sampleCount: number; sampleSum: number; quantiles: Quantile[] };
  histogram?: { sampleCount: number; sampleSum: number; buckets: Bucket[] };
  /** Explicit sample timestamp in ms, when the exposition carried one. */
  timestampMs?: number;
}

/**
 * A metric family as client_model models it (what the Pushgateway stores and `/federate` writes):
 * a name, optional HELP text, a type, optional OpenMetrics unit, and its metrics.
 */
export interface MetricFamily {
  name: string;
  /** HELP text, unescaped; undefined when the exposition had no HELP line. */
  help: string | undefined;
  type: MetricType;
  unit?: string;
  metrics: Metric[];
}
