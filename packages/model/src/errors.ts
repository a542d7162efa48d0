/** The closed set of failure kinds raised by this package. */
export type ModelErrorCode =
  | 'invalid_regex'
  | 'invalid_duration'
  | 'invalid_relabel_config'
  /** A native histogram whose layout, counts, bounds or schema are inconsistent. */
  | 'invalid_histogram'
  /** An operation on histograms of which one uses custom buckets and the other exponential ones. */
  | 'incompatible_histograms';

/**
 * The one error class of `@pyrometer/model`. `code` tells callers what went wrong without parsing
 * the message; the message names the offending input and, where upstream has one, uses
 * Prometheus's wording so users recognise it. `cause` carries the underlying error when there is one.
 */
export class ModelError extends Error {
  override name = 'ModelError';

  constructor(readonly code: ModelErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
