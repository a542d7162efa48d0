/** Every condition the Alertmanager package reports, as a closed union of stable codes. */
export type AlertmanagerErrorCode =
  /** alertmanager.yml (or a template it names) is unreadable or invalid. */
  | 'invalid_config'
  /** A label matcher does not parse or its regular expression does not compile. */
  | 'invalid_matcher'
  /** A posted alert is invalid (no labels, bad names, end before start). */
  | 'invalid_alert'
  /** A silence is invalid or may not be changed that way. */
  | 'invalid_silence'
  /** A silence (or other object) with that id does not exist. */
  | 'not_found'
  /** A configured limit (number or size of silences) would be exceeded. */
  | 'limit'
  /** State (silences, notification log, alerts) cannot be read or written: a corrupt file, Redis unreachable. */
  | 'state'
  /** Another replica holds the claim to send this notification; the flush is retried at the next tick. */
  | 'claimed'
  /** A notification attempt failed; `retryable` says whether trying again may help. */
  | 'notify';

/**
 * The one error class of the Alertmanager package, with a stable `code`. `detail` is upstream's
 * wording of the problem alone; `message` may add where it is (`file:line:col: detail`). For
 * `notify`, `retryable` says whether trying again may succeed (5xx, network) or not (4xx).
 */
export class AlertmanagerError extends Error {
  override readonly name = 'AlertmanagerError';
  readonly retryable: boolean;
  readonly detail: string;
  /** For `notify`: the failure category of `alertmanager_notifications_failed_total`. */
  readonly reason: 'other' | 'clientError' | 'serverError' | 'contextCanceled' | 'contextDeadlineExceeded';
  constructor(
    readonly code: AlertmanagerErrorCode,
    message: string,
    options?: { cause?: unknown; retryable?: boolean; detail?: string; reason?: AlertmanagerError['reason'] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options?.retryable ?? false;
    this.detail = options?.detail ?? message;
    this.reason = options?.reason ?? 'other';
  }
}
