import { discordIntegration } from './discord.js';
import { emailIntegration } from './email/email.js';
import { msteamsIntegration, msteamsV2Integration } from './msteams.js';
import { IntegrationRegistry } from './notifier.js';
import { opsgenieIntegration } from './opsgenie.js';
import { pagerdutyIntegration } from './pagerduty.js';
import { slackIntegration } from './slack.js';
import { telegramIntegration } from './telegram.js';
import { webhookIntegration } from './webhook.js';

/**
 * A registry with the integrations this package implements (webhook, email, PagerDuty, Opsgenie,
 * Slack, Telegram, Discord, Microsoft Teams in both forms); others register theirs on it.
 */
export function builtinIntegrations(): IntegrationRegistry {
  return new IntegrationRegistry()
    .register('webhook', webhookIntegration)
    .register('email', emailIntegration)
    .register('pagerduty', pagerdutyIntegration)
    .register('opsgenie', opsgenieIntegration)
    .register('slack', slackIntegration)
    .register('telegram', telegramIntegration)
    .register('discord', discordIntegration)
    .register('msteams', msteamsIntegration)
    .register('msteamsv2', msteamsV2Integration);
}
