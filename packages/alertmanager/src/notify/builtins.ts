import { IntegrationRegistry, type IntegrationFactory } from './notifier.js';
import type { IntegrationType } from '../config/receivers/receiver.js';

/**
 * A factory whose module is loaded when a receiver of its type is first built: an Alertmanager
 * loads the code of the receiver types its config uses, not of all sixteen (~1 MiB of heap).
 */
function onFirstUse<K extends IntegrationType>(load: () => Promise<IntegrationFactory<K>>): IntegrationFactory<K> {
  return async (config, deps) => (await load())(config, deps);
}

/**
 * A registry with an integration for every receiver type of alertmanager.yml (webhook, email,
 * PagerDuty, Opsgenie, Slack, Telegram, Discord, Microsoft Teams in both forms, Webex, Pushover,
 * VictorOps, Rocket.Chat, WeChat, Jira, Amazon SNS); `register` replaces one.
 */
export function builtinIntegrations(): IntegrationRegistry {
  return new IntegrationRegistry()
    .register('webhook', onFirstUse(async () => (await import('./webhook.js')).webhookIntegration))
    .register('email', onFirstUse(async () => (await import('./email/email.js')).emailIntegration))
    .register('pagerduty', onFirstUse(async () => (await import('./pagerduty.js')).pagerdutyIntegration))
    .register('opsgenie', onFirstUse(async () => (await import('./opsgenie.js')).opsgenieIntegration))
    .register('slack', onFirstUse(async () => (await import('./slack.js')).slackIntegration))
    .register('telegram', onFirstUse(async () => (await import('./telegram.js')).telegramIntegration))
    .register('discord', onFirstUse(async () => (await import('./discord.js')).discordIntegration))
    .register('msteams', onFirstUse(async () => (await import('./msteams.js')).msteamsIntegration))
    .register('msteamsv2', onFirstUse(async () => (await import('./msteams.js')).msteamsV2Integration))
    .register('webex', onFirstUse(async () => (await import('./webex.js')).webexIntegration))
    .register('pushover', onFirstUse(async () => (await import('./pushover.js')).pushoverIntegration))
    .register('victorops', onFirstUse(async () => (await import('./victorops.js')).victoropsIntegration))
    .register('rocketchat', onFirstUse(async () => (await import('./rocketchat.js')).rocketchatIntegration))
    .register('wechat', onFirstUse(async () => (await import('./wechat.js')).wechatIntegration))
    .register('jira', onFirstUse(async () => (await import('./jira/jira.js')).jiraIntegration))
    .register('sns', onFirstUse(async () => (await import('./sns/sns.js')).snsIntegration));
}
