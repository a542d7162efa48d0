/** Experimental PromQL features, each off by default as upstream's feature flags. */
export interface ExperimentalFeatures {
  /** `promql-experimental-functions`: limitk, limit_ratio, mad_over_time, sort_by_label, … */
  functions: boolean;
  /** `promql-duration-expr`: arithmetic in ranges, offsets and steps. */
  durationExpr: boolean;
  /** `promql-extended-range-selectors`: the `anchored` and `smoothed` modifiers. */
  extendedRangeSelectors: boolean;
}

/**
 * Engine settings. All durations are in milliseconds. An engine is immutable once created; the
 * options object is copied.
 */
export interface EngineOptions {
  /** Maximum wall time of one query's evaluation. */
  timeout: number;
  /** Maximum number of samples a query may hold in memory at once (upstream's query.max-samples). */
  maxSamples: number;
  /** How far back a vector selector looks for the latest sample (default 5m). */
  lookbackDelta: number;
  enableAtModifier: boolean;
  enableNegativeOffset: boolean;
  /** `promql-delayed-name-removal`: `__name__` is removed at the end of evaluation instead of eagerly. */
  enableDelayedNameRemoval: boolean;
  experimental: ExperimentalFeatures;
  /** The step of a subquery written without one (`[5m:]`), given the subquery's range. */
  noStepSubqueryIntervalFn: (rangeMs: number) => number;
  /** The clock used for timeouts and timings, ms (injectable for tests). */
  now: () => number;
  /** The longest regex needing compilation a matcher may have (UTF-16 code units), 0 for no limit: a parse error beyond. */
  maxRegexLength: number;
}

/** Upstream's defaults: 2m timeout, 50M samples, 5m lookback, @ and negative offsets on, experiments off, regexes unbounded. */
export function defaultEngineOptions(): EngineOptions {
  return {
    timeout: 120_000,
    maxSamples: 50_000_000,
    lookbackDelta: 300_000,
    enableAtModifier: true,
    enableNegativeOffset: true,
    enableDelayedNameRemoval: false,
    experimental: { functions: false, durationExpr: false, extendedRangeSelectors: false },
    noStepSubqueryIntervalFn: () => 60_000,
    now: () => performance.now(),
    maxRegexLength: 0,
  };
}
