import { IntegrationRegistry } from './notifier.js';
import { webhookIntegration } from './webhook.js';

/** A registry with the integrations this package implements (webhook); others register theirs on it. */
export function builtinIntegrations(): IntegrationRegistry {
  return new IntegrationRegistry().register('webhook', webhookIntegration);
}
