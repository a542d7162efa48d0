/**
 * Why a Pushgateway operation failed. `bad_request` covers malformed URLs and bodies (HTTP 400),
 * `inconsistent` a push rejected by the consistency check (HTTP 400), `persistence` a failed read
 * or write of the persistence file, `corrupt_state` a persistence file that was read but cannot be
 * decoded, `redis` a failure talking to Redis, `closed` a write after `close()`.
 */
export type PushgatewayErrorCode = 'bad_request' | 'inconsistent' | 'persistence' | 'corrupt_state' | 'redis' | 'closed';

/** The one error class of this package; `code` is closed and `cause` keeps the underlying error. */
export class PushgatewayError extends Error {
  override readonly name = 'PushgatewayError';

  constructor(
    readonly code: PushgatewayErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
