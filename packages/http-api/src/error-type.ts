/** The `errorType` values of the Prometheus HTTP API. */
export const ErrorType = {
  BadData: 'bad_data',
  Execution: 'execution',
  Canceled: 'canceled',
  Timeout: 'timeout',
  Internal: 'internal',
  Unavailable: 'unavailable',
  NotFound: 'not_found',
  NotAcceptable: 'not_acceptable',
} as const;
export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];

/**
 * HTTP status per error type, as upstream's `getDefaultErrorCode` maps them. `unavailable` falls
 * into upstream's default branch (500), and `canceled` is nginx's 499.
 */
const STATUS: Readonly<Record<ErrorType, number>> = {
  bad_data: 400,
  execution: 422,
  canceled: 499,
  timeout: 503,
  internal: 500,
  unavailable: 500,
  not_found: 404,
  not_acceptable: 406,
};

export function statusOf(type: ErrorType): number {
  return STATUS[type];
}

/**
 * An error answered through the API envelope: `type` picks the HTTP status and `errorType`,
 * `message` becomes `error`. Convert other errors to this once, at the HTTP boundary.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly type: ErrorType, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
