/**
 * The closed set of engine error codes. Each maps onto one `errorType` of the HTTP API
 * (see {@link apiErrorType}): parse and type errors are `bad_data`, evaluation failures
 * `execution`, and the limits have their own codes.
 */
export const PromQLErrorCode = {
  /** The query does not parse or type-check, or a parameter is invalid before evaluation. */
  BadData: 'bad_data',
  /** Evaluation failed (e.g. duplicate label sets, bad function argument at run time). */
  Execution: 'execution',
  /** The caller's AbortSignal fired. */
  Canceled: 'canceled',
  /** The query ran longer than the engine's timeout. */
  Timeout: 'timeout',
  /** The query would hold more samples in memory than the engine's maxSamples. */
  TooManySamples: 'too_many_samples',
  /** The storage failed to answer a select. */
  Storage: 'storage',
} as const;
export type PromQLErrorCode = (typeof PromQLErrorCode)[keyof typeof PromQLErrorCode];

/** The one error class of this package: a stable `code`, upstream's message text, and a `cause`. */
export class PromQLError extends Error {
  override readonly name = 'PromQLError';

  constructor(
    readonly code: PromQLErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The HTTP API `errorType` for an engine error code (prom:web/api/v1/api.go `returnAPIError`). */
export function apiErrorType(code: PromQLErrorCode): 'bad_data' | 'execution' | 'canceled' | 'timeout' | 'internal' {
  switch (code) {
    case 'bad_data':
      return 'bad_data';
    case 'canceled':
      return 'canceled';
    case 'timeout':
      return 'timeout';
    case 'storage':
      return 'internal';
    default:
      return 'execution';
  }
}

/** Upstream's wording for the limit errors; `env` names where it happened, e.g. "query execution". */
export function tooManySamples(env: string): PromQLError {
  return new PromQLError('too_many_samples', `query processing would load too many samples into memory in ${env}`);
}

export function queryTimeout(env: string): PromQLError {
  return new PromQLError('timeout', `query timed out in ${env}`);
}

function queryCanceled(env: string): PromQLError {
  return new PromQLError('canceled', `query was canceled in ${env}`);
}

/** The error of a query stopped by its cancel signal: the signal's `reason` when that is a PromQLError, else canceled in `env`. */
export function queryStopped(reason: unknown, env: string): PromQLError {
  return reason instanceof PromQLError ? reason : queryCanceled(env);
}

/** An evaluation error with a formatted message (upstream's `ev.errorf`). */
export function execError(message: string): PromQLError {
  return new PromQLError('execution', message);
}
