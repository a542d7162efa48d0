import type { YamlReader, YNode } from '@pyrometer/config';
import { httpConfigField, secretUrlField, urlField } from '../common-fields.js';
import { bool, int, optionalBool, optionalSecret, schema, secret, str, structList } from '../schema.js';
import { exclusive, sendResolved, tmpl } from './shared.js';

type Webhooked = { webhookUrl: string | undefined; webhookUrlFile: string };

function checkWebhookUrl(c: Webhooked, r: YamlReader, node: YNode): void {
  exclusive(r, node, ['webhook_url', c.webhookUrl !== undefined], ['webhook_url_file', c.webhookUrlFile !== ''], 'one of webhook_url or webhook_url_file must be configured');
}

/** `discord_configs` entries. */
export const discordSchema = schema(
  'config.plain',
  {
    sendResolved: sendResolved(true),
    httpConfig: httpConfigField('http_config'),
    webhookUrl: secretUrlField('webhook_url', { omitEmpty: true }),
    webhookUrlFile: str('webhook_url_file', { omitEmpty: true }),
    content: str('content', { omitEmpty: true }),
    title: str('title', { omitEmpty: true, initial: tmpl('discord.default.title') }),
    message: str('message', { omitEmpty: true, initial: tmpl('discord.default.message') }),
    username: str('username', { omitEmpty: true }),
    avatarUrl: str('avatar_url', { omitEmpty: true }),
  },
  checkWebhookUrl,
);

/** `msteams_configs` entries (Office 365 connectors). */
export const msteamsSchema = schema(
  'config.plain',
  {
    sendResolved: sendResolved(true),
    httpConfig: httpConfigField('http_config'),
    webhookUrl: secretUrlField('webhook_url', { omitEmpty: true }),
    webhookUrlFile: str('webhook_url_file', { omitEmpty: true }),
    title: str('title', { omitEmpty: true, initial: tmpl('msteams.default.title') }),
    summary: str('summary', { omitEmpty: true, initial: tmpl('msteams.default.summary'), newer: true }),
    text: str('text', { omitEmpty: true, initial: tmpl('msteams.default.text') }),
  },
  checkWebhookUrl,
);

/** `msteamsv2_configs` entries (Teams workflows). */
export const msteamsV2Schema = schema(
  'config.plain',
  {
    sendResolved: sendResolved(true),
    httpConfig: httpConfigField('http_config'),
    webhookUrl: secretUrlField('webhook_url', { omitEmpty: true }),
    webhookUrlFile: str('webhook_url_file', { omitEmpty: true }),
    title: str('title', { omitEmpty: true, initial: tmpl('msteamsv2.default.title') }),
    text: str('text', { omitEmpty: true, initial: tmpl('msteamsv2.default.text') }),
  },
  checkWebhookUrl,
);

/** `telegram_configs` entries. */
export const telegramSchema = schema(
  'config.plain',
  {
    sendResolved: sendResolved(true),
    httpConfig: httpConfigField('http_config'),
    apiUrl: urlField('api_url', { omitEmpty: false }),
    botToken: secret('bot_token', { omitEmpty: true }),
    botTokenFile: str('bot_token_file', { omitEmpty: true }),
    chatId: int('chat_id', { omitEmpty: true }),
    messageThreadId: int('message_thread_id', { omitEmpty: true }),
    message: str('message', { omitEmpty: true, initial: tmpl('telegram.default.message') }),
    disableNotifications: bool('disable_notifications', { omitEmpty: true }),
    parseMode: str('parse_mode', { omitEmpty: true, initial: 'HTML' }),
  },
  (c, r, node) => {
    exclusive(r, node, ['bot_token', c.botToken !== ''], ['bot_token_file', c.botTokenFile !== ''], 'missing bot_token or bot_token_file on telegram_config');
    if (c.chatId === 0) throw r.error(node, 'missing chat_id on telegram_config');
    if (!['', 'Markdown', 'MarkdownV2', 'HTML'].includes(c.parseMode)) throw r.error(node, 'unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string');
  },
);

/** `webex_configs` entries. */
export const webexSchema = schema(
  'config.plain',
  {
    sendResolved: sendResolved(true),
    httpConfig: httpConfigField('http_config'),
    apiUrl: urlField('api_url'),
    message: str('message', { omitEmpty: true, initial: tmpl('webex.default.message') }),
    roomId: str('room_id'),
  },
  (c, r, node) => {
    if (c.roomId === '') throw r.error(node, 'missing room_id on webex_config');
    if (c.httpConfig?.authorization === undefined) throw r.error(node, 'missing webex_configs.http_config.authorization');
  },
);

/** `wechat_configs` entries. */
export const wechatSchema = schema(
  'config.plain',
  {
    sendResolved: sendResolved(false),
    httpConfig: httpConfigField('http_config'),
    apiSecret: secret('api_secret', { omitEmpty: true }),
    corpId: str('corp_id', { omitEmpty: true }),
    message: str('message', { omitEmpty: true, initial: tmpl('wechat.default.message') }),
    apiUrl: urlField('api_url'),
    toUser: str('to_user', { omitEmpty: true, initial: tmpl('wechat.default.to_user') }),
    toParty: str('to_party', { omitEmpty: true, initial: tmpl('wechat.default.to_party') }),
    toTag: str('to_tag', { omitEmpty: true, initial: tmpl('wechat.default.to_tag') }),
    agentId: str('agent_id', { omitEmpty: true, initial: tmpl('wechat.default.agent_id') }),
    messageType: str('message_type', { omitEmpty: true }),
  },
  (c, r, node) => {
    if (c.messageType === '') c.messageType = 'text';
    if (c.messageType !== 'text' && c.messageType !== 'markdown') throw r.error(node, `weChat message type ${JSON.stringify(c.messageType)} does not match valid options ^(text|markdown)$`);
  },
);

// Rocket.Chat's attachment structs have JSON tags only, so go-yaml uses the lower-cased Go field names.
const rocketchatField = schema('config.RocketchatAttachmentField', { short: optionalBool('short'), title: str('title'), value: str('value') });
const rocketchatAction = schema('config.RocketchatAttachmentAction', {
  type: str('type'),
  text: str('text'),
  url: str('url'),
  imageUrl: str('imageurl'),
  isWebView: bool('iswebview'),
  webviewHeightRatio: str('webviewheightratio'),
  msg: str('msg'),
  msgInChatWindow: bool('msginchatwindow'),
  msgProcessingType: str('msgprocessingtype'),
});

/** `rocketchat_configs` entries. */
export const rocketchatSchema = schema(
  'config.plain',
  {
    sendResolved: sendResolved(false),
    httpConfig: httpConfigField('http_config'),
    apiUrl: urlField('api_url'),
    tokenId: optionalSecret('token_id'),
    tokenIdFile: str('token_id_file', { omitEmpty: true }),
    token: optionalSecret('token'),
    tokenFile: str('token_file', { omitEmpty: true }),
    channel: str('channel', { omitEmpty: true }),
    color: str('color', { omitEmpty: true, initial: '{{ if eq .Status "firing" }}red{{ else }}green{{ end }}' }),
    title: str('title', { omitEmpty: true, initial: tmpl('rocketchat.default.title') }),
    titleLink: str('title_link', { omitEmpty: true, initial: tmpl('rocketchat.default.titlelink') }),
    text: str('text', { omitEmpty: true, initial: tmpl('rocketchat.default.text') }),
    fields: structList('fields', rocketchatField, { omitEmpty: true }),
    shortFields: bool('short_fields'),
    emoji: str('emoji', { omitEmpty: true, initial: tmpl('rocketchat.default.emoji') }),
    iconUrl: str('icon_url', { omitEmpty: true, initial: tmpl('rocketchat.default.iconurl') }),
    imageUrl: str('image_url', { omitEmpty: true }),
    thumbUrl: str('thumb_url', { omitEmpty: true }),
    linkNames: bool('link_names'),
    actions: structList('actions', rocketchatAction, { omitEmpty: true }),
  },
  (c, r, node) => {
    exclusive(r, node, ['token', c.token !== undefined], ['token_file', c.tokenFile !== '']);
    exclusive(r, node, ['token_id', c.tokenId !== undefined], ['token_id_file', c.tokenIdFile !== '']);
  },
);
