import { defaultHttpClientConfig } from '@pyrometer/config';
import { defaultTlsConfig, emitHttpConfig, hostPortField, readHttpConfig, secretUrlField, tlsConfigField, urlField } from './common-fields.js';
import { bool, custom, modelDurationWithDefault, optionalSecret, schema, secret, str } from './schema.js';

/** The `global:` section (`config.GlobalConfig`) with upstream's defaults. */
export const globalSchema = schema('config.plain', {
  resolveTimeout: modelDurationWithDefault('resolve_timeout', 5 * 60_000),
  httpConfig: custom('http_config', defaultHttpClientConfig, readHttpConfig, emitHttpConfig),
  jiraApiUrl: urlField('jira_api_url', { newer: true }),
  smtpFrom: str('smtp_from', { omitEmpty: true }),
  smtpHello: str('smtp_hello', { omitEmpty: true, initial: 'localhost' }),
  smtpSmarthost: hostPortField('smtp_smarthost'),
  smtpAuthUsername: str('smtp_auth_username', { omitEmpty: true }),
  smtpAuthPassword: secret('smtp_auth_password', { omitEmpty: true }),
  smtpAuthPasswordFile: str('smtp_auth_password_file', { omitEmpty: true }),
  smtpAuthSecret: secret('smtp_auth_secret', { omitEmpty: true }),
  smtpAuthIdentity: str('smtp_auth_identity', { omitEmpty: true }),
  smtpRequireTls: bool('smtp_require_tls', { initial: true }),
  smtpTlsConfig: tlsConfigField('smtp_tls_config', { initial: defaultTlsConfig, newer: true }),
  slackApiUrl: secretUrlField('slack_api_url', { omitEmpty: true }),
  slackApiUrlFile: str('slack_api_url_file', { omitEmpty: true }),
  pagerdutyUrl: urlField('pagerduty_url', { initial: 'https://events.pagerduty.com/v2/enqueue' }),
  opsgenieApiUrl: urlField('opsgenie_api_url', { initial: 'https://api.opsgenie.com/' }),
  opsgenieApiKey: secret('opsgenie_api_key', { omitEmpty: true }),
  opsgenieApiKeyFile: str('opsgenie_api_key_file', { omitEmpty: true }),
  wechatApiUrl: urlField('wechat_api_url', { initial: 'https://qyapi.weixin.qq.com/cgi-bin/' }),
  wechatApiSecret: secret('wechat_api_secret', { omitEmpty: true }),
  wechatApiCorpId: str('wechat_api_corp_id', { omitEmpty: true }),
  victoropsApiUrl: urlField('victorops_api_url', { initial: 'https://alert.victorops.com/integrations/generic/20131114/alert/' }),
  victoropsApiKey: secret('victorops_api_key', { omitEmpty: true }),
  victoropsApiKeyFile: str('victorops_api_key_file', { omitEmpty: true }),
  telegramApiUrl: urlField('telegram_api_url', { initial: 'https://api.telegram.org' }),
  webexApiUrl: urlField('webex_api_url', { initial: 'https://webexapis.com/v1/messages' }),
  rocketchatApiUrl: urlField('rocketchat_api_url', { initial: 'https://open.rocket.chat/', newer: true }),
  rocketchatToken: optionalSecret('rocketchat_token', { newer: true }),
  rocketchatTokenFile: str('rocketchat_token_file', { omitEmpty: true }),
  rocketchatTokenId: optionalSecret('rocketchat_token_id', { newer: true }),
  rocketchatTokenIdFile: str('rocketchat_token_id_file', { omitEmpty: true }),
});
