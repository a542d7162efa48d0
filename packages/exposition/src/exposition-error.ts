/** What went wrong, as a closed set callers can switch on. */
export const ExpositionErrorCode = {
  /** The bytes do not follow the format's grammar (the message names line, column and what was expected). */
  Syntax: 'syntax',
  /** The bytes parse, but the families they describe are inconsistent (second TYPE, duplicate label names, …). */
  InvalidFamily: 'invalid-family',
  /** The Content-Type names no exposition format we read, and no fallback was given. */
  ContentType: 'content-type',
  /** A delimited protobuf body is truncated or malformed. */
  Protobuf: 'protobuf',
  /** A MetricFamily cannot be written (a metric lacks the value its family type needs). */
  Encode: 'encode',
} as const;
export type ExpositionErrorCode = (typeof ExpositionErrorCode)[keyof typeof ExpositionErrorCode];

/**
 * The one error class of this package. `line` and `column` (1-based, column in bytes) are set
 * for errors tied to a place in a text body; when a column is given the message starts with
 * `line:column: `, otherwise the message names the line itself (expfmt's wording).
 */
export class ExpositionError extends Error {
  override readonly name = 'ExpositionError';
  readonly code: ExpositionErrorCode;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(code: ExpositionErrorCode, message: string, options: { line?: number; column?: number; cause?: unknown } = {}) {
    super(options.column === undefined ? message : `${options.line ?? 1}:${options.column}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.line = options.line;
    this.column = options.column;
  }
}
