/** Every condition promtool reports beyond what the packages it uses report, as a closed union. */
export type PromtoolErrorCode =
  /** A unit-test file breaks the format (unknown field, wrong type, bad duration, repeated group). */
  | 'test_file'
  /** Input series of a unit test cannot be parsed. */
  | 'input_series'
  /** A time given on the command line or in a test file is neither Unix seconds nor RFC 3339. */
  | 'time'
  /** The Prometheus HTTP API answered with an error or could not be reached. */
  | 'api';

/**
 * The one error class of promtool. The message is what promtool prints (upstream's wording where
 * there is one), naming the file and position or the flag concerned.
 */
export class PromtoolError extends Error {
  override readonly name = 'PromtoolError';
  /** For `api` errors: the body of an answer that was not the API's JSON (printed as `(detail: …)`). */
  readonly detail: string;

  constructor(
    readonly code: PromtoolErrorCode,
    message: string,
    options: { cause?: unknown; detail?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.detail = options.detail ?? '';
  }
}
