import { schema, str, structList, type Schema } from '../schema.js';
import { discordSchema, msteamsSchema, msteamsV2Schema, rocketchatSchema, telegramSchema, webexSchema, wechatSchema } from './chat.js';
import { emailSchema } from './email.js';
import { jiraSchema, opsgenieSchema, pagerdutySchema, pushoverSchema, snsSchema, victoropsSchema } from './paging.js';
import { slackSchema } from './slack.js';
import { webhookSchema } from './webhook.js';

type Infer<S> = S extends Schema<infer T> ? T : never;

/** Every receiver integration type, in the order upstream builds (and numbers) a receiver's integrations. */
export const INTEGRATION_TYPES = ['webhook', 'email', 'pagerduty', 'opsgenie', 'wechat', 'slack', 'victorops', 'pushover', 'sns', 'telegram', 'discord', 'webex', 'msteams', 'msteamsv2', 'jira', 'rocketchat'] as const;
export type IntegrationType = (typeof INTEGRATION_TYPES)[number];

export type WebhookConfig = Infer<typeof webhookSchema>;
export type EmailConfig = Infer<typeof emailSchema>;
export type PagerdutyConfig = Infer<typeof pagerdutySchema>;
export type OpsgenieConfig = Infer<typeof opsgenieSchema>;
export type WechatConfig = Infer<typeof wechatSchema>;
export type SlackConfig = Infer<typeof slackSchema>;
export type VictoropsConfig = Infer<typeof victoropsSchema>;
export type PushoverConfig = Infer<typeof pushoverSchema>;
export type SnsConfig = Infer<typeof snsSchema>;
export type TelegramConfig = Infer<typeof telegramSchema>;
export type DiscordConfig = Infer<typeof discordSchema>;
export type WebexConfig = Infer<typeof webexSchema>;
export type MsteamsConfig = Infer<typeof msteamsSchema>;
export type MsteamsV2Config = Infer<typeof msteamsV2Schema>;
export type JiraConfig = Infer<typeof jiraSchema>;
export type RocketchatConfig = Infer<typeof rocketchatSchema>;

/** The config type of each integration, by its type name (`webhook`, `email`, …). */
export interface IntegrationConfigs {
  webhook: WebhookConfig;
  email: EmailConfig;
  pagerduty: PagerdutyConfig;
  opsgenie: OpsgenieConfig;
  wechat: WechatConfig;
  slack: SlackConfig;
  victorops: VictoropsConfig;
  pushover: PushoverConfig;
  sns: SnsConfig;
  telegram: TelegramConfig;
  discord: DiscordConfig;
  webex: WebexConfig;
  msteams: MsteamsConfig;
  msteamsv2: MsteamsV2Config;
  jira: JiraConfig;
  rocketchat: RocketchatConfig;
}

// The receiver struct's fields in upstream's declaration order (which `config.original` follows).
const receiverSchema = schema(
  'config.plain',
  {
    name: str('name'),
    discord: structList('discord_configs', discordSchema, { omitEmpty: true }),
    email: structList('email_configs', emailSchema, { omitEmpty: true }),
    pagerduty: structList('pagerduty_configs', pagerdutySchema, { omitEmpty: true }),
    slack: structList('slack_configs', slackSchema, { omitEmpty: true }),
    webhook: structList('webhook_configs', webhookSchema, { omitEmpty: true }),
    opsgenie: structList('opsgenie_configs', opsgenieSchema, { omitEmpty: true }),
    wechat: structList('wechat_configs', wechatSchema, { omitEmpty: true }),
    pushover: structList('pushover_configs', pushoverSchema, { omitEmpty: true }),
    victorops: structList('victorops_configs', victoropsSchema, { omitEmpty: true }),
    sns: structList('sns_configs', snsSchema, { omitEmpty: true }),
    telegram: structList('telegram_configs', telegramSchema, { omitEmpty: true }),
    webex: structList('webex_configs', webexSchema, { omitEmpty: true }),
    msteams: structList('msteams_configs', msteamsSchema, { omitEmpty: true }),
    msteamsv2: structList('msteamsv2_configs', msteamsV2Schema, { omitEmpty: true }),
    jira: structList('jira_configs', jiraSchema, { omitEmpty: true }),
    rocketchat: structList('rocketchat_configs', rocketchatSchema, { omitEmpty: true }),
  },
  (c, r, node) => {
    if (c.name === '') throw r.error(node, 'missing name in receiver');
  },
);

/**
 * A `receivers:` entry: its name and the configs of each integration type (`receiver.webhook`
 * lists its `webhook_configs`, …), with upstream's defaults and, after loading, the global
 * settings (URLs, keys, `http_config`) filled in where the entry left them out.
 */
export type ReceiverConfig = Infer<typeof receiverSchema>;

export { receiverSchema };
