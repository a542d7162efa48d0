/** Why a request could not be read: its body is over the limit (413) or could not be read whole (400). */
export type HttpErrorCode = 'body_too_large' | 'body_unreadable';

const STATUS: Readonly<Record<HttpErrorCode, number>> = { body_too_large: 413, body_unreadable: 400 };

/** The one error class of this package; `status` is the HTTP answer its code calls for. */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly code: HttpErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get status(): number {
    return STATUS[this.code];
  }
}
