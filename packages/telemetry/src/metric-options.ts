/** Common options of every instrument. */
export interface MetricOptions {
  /** The metric family name, e.g. `prometheus_tsdb_head_series`. */
  name: string;
  /** HELP text. */
  help: string;
  /** Label names of the children; omit for an unlabelled instrument. */
  labelNames?: readonly string[];
}

export interface HistogramOptions extends MetricOptions {
  /** Upper bounds, increasing; `+Inf` is added implicitly. Defaults to {@link DEFAULT_BUCKETS}. */
  buckets?: readonly number[];
}

/** client_golang's default buckets (seconds). */
export const DEFAULT_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
