import { discordIntegration } from './discord.js';
import { emailIntegration } from './email/email.js';
import { jiraIntegration } from './jira/jira.js';
import { msteamsIntegration, msteamsV2Integration } from './msteams.js';
import { IntegrationRegistry } from './notifier.js';
import { opsgenieIntegration } from './opsgenie.js';
import { pagerdutyIntegration } from './pagerduty.js';
import { pushoverIntegration } from './pushover.js';
import { rocketchatIntegration } from './rocketchat.js';
import { slackIntegration } from './slack.js';
import { snsIntegration } from './sns/sns.js';
import { telegramIntegration } from './telegram.js';
import { victoropsIntegration } from './victorops.js';
import { webexIntegration } from './webex.js';
import { webhookIntegration } from './webhook.js';
import { wechatIntegration } from './wechat.js';

/**
 * A registry with an integration for every receiver type of alertmanager.yml (webhook, email,
 * PagerDuty, Opsgenie, Slack, Telegram, Discord, Microsoft Teams in both forms, Webex, Pushover,
 * VictorOps, Rocket.Chat, WeChat, Jira, Amazon SNS); `register` replaces one.
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
    .register('msteamsv2', msteamsV2Integration)
    .register('webex', webexIntegration)
    .register('pushover', pushoverIntegration)
    .register('victorops', victoropsIntegration)
    .register('rocketchat', rocketchatIntegration)
    .register('wechat', wechatIntegration)
    .register('jira', jiraIntegration)
    .register('sns', snsIntegration);
}
