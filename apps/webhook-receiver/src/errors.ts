/** What went wrong, for callers that branch on it. */
export type WebhookReceiverErrorCode = 'invalid_json' | 'invalid_payload';

/** The one error class of the webhook receiver: a request body it refuses (answered 400). */
export class WebhookReceiverError extends Error {
  override readonly name = 'WebhookReceiverError';

  constructor(readonly code: WebhookReceiverErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
