/** Every condition the notifier reports, as a closed union of stable codes. */
export type NotifierErrorCode =
  /** An `alerting` section cannot be used (bad relabel rule, unsupported API version, unusable TLS files). */
  | 'invalid_config'
  /** A discovered Alertmanager address is not a valid host:port after relabeling. */
  | 'invalid_alertmanager'
  /** A batch could not be delivered to one Alertmanager (network error, timeout, non-2xx status). */
  | 'send_failed';

/** The one error class of the notifier package; `code` says which condition, `cause` keeps the origin. */
export class NotifierError extends Error {
  override readonly name = 'NotifierError';
  constructor(readonly code: NotifierErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
