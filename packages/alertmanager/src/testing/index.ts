// Test helpers for packages and apps that test against this package (not part of its API).
export { WebhookReceiver, type ReceivedWebhook, type WebhookBody } from './webhook-receiver.js';
export { webhookConfig, type WebhookConfigOptions } from './webhook-config.js';
