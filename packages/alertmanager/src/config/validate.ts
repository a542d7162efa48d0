import type { YamlReader, YNode } from '@pyrometer/config';
import type { GlobalConfig } from './config.js';
import type { ReceiverConfig } from './receivers/receiver.js';

interface WithGlobalAndReceivers {
  global: GlobalConfig;
  receivers: ReceiverConfig[];
}

/** Adds `/` to the path of a URL unless it ends with one (upstream does so for OpsGenie, WeChat, VictorOps). */
function withTrailingSlash(url: string): string {
  const cut = url.search(/[?#]/);
  const base = cut < 0 ? url : url.slice(0, cut);
  const rest = cut < 0 ? '' : url.slice(cut);
  return base.endsWith('/') ? url : `${base}/${rest}`;
}

/**
 * Upstream's checks of `global` and the completion of each receiver from it (`Config.UnmarshalYAML`):
 * conflicting inline and file secrets, unique receiver names, each integration's `http_config`
 * and URLs or keys taken from `global` when the integration leaves them out, with upstream's
 * messages when neither has them.
 */
export function applyGlobals(c: WithGlobalAndReceivers, r: YamlReader, at: YNode): void {
  const g = c.global;
  const fail = (message: string): never => {
    throw r.error(at, message);
  };
  if (g.slackApiUrl !== undefined && g.slackApiUrlFile !== '') fail('at most one of slack_api_url & slack_api_url_file must be configured');
  if (g.opsgenieApiKey !== '' && g.opsgenieApiKeyFile !== '') fail('at most one of opsgenie_api_key & opsgenie_api_key_file must be configured');
  if (g.victoropsApiKey !== '' && g.victoropsApiKeyFile !== '') fail('at most one of victorops_api_key & victorops_api_key_file must be configured');
  if (g.smtpAuthPassword !== '' && g.smtpAuthPasswordFile !== '') fail('at most one of smtp_auth_password & smtp_auth_password_file must be configured');
  if (g.rocketchatToken !== undefined && g.rocketchatTokenFile !== '') fail('at most one of rocketchat_token & rocketchat_token_file must be configured');
  if (g.rocketchatTokenId !== undefined && g.rocketchatTokenIdFile !== '') fail('at most one of rocketchat_token_id & rocketchat_token_id_file must be configured');

  const names = new Set<string>();
  for (const rcv of c.receivers) {
    if (names.has(rcv.name)) fail(`notification config name ${JSON.stringify(rcv.name)} is not unique`);
    for (const list of [rcv.webhook, rcv.slack, rcv.pushover, rcv.pagerduty, rcv.opsgenie, rcv.wechat, rcv.victorops, rcv.sns, rcv.telegram, rcv.discord, rcv.webex, rcv.msteams, rcv.msteamsv2, rcv.jira, rcv.rocketchat]) {
      for (const integration of list) integration.httpConfig ??= g.httpConfig;
    }
    for (const ec of rcv.email) {
      ec.tlsConfig ??= g.smtpTlsConfig;
      if (ec.smarthost === undefined) ec.smarthost = g.smtpSmarthost ?? fail('no global SMTP smarthost set');
      if (ec.from === '') ec.from = g.smtpFrom !== '' ? g.smtpFrom : fail('no global SMTP from set');
      if (ec.hello === '') ec.hello = g.smtpHello;
      if (ec.authUsername === '') ec.authUsername = g.smtpAuthUsername;
      if (ec.authPassword === '' && ec.authPasswordFile === '') {
        ec.authPassword = g.smtpAuthPassword;
        ec.authPasswordFile = g.smtpAuthPasswordFile;
      }
      if (ec.authSecret === '') ec.authSecret = g.smtpAuthSecret;
      if (ec.authIdentity === '') ec.authIdentity = g.smtpAuthIdentity;
      ec.requireTls ??= g.smtpRequireTls;
    }
    for (const sc of rcv.slack) {
      if (sc.apiUrl === undefined && sc.apiUrlFile === '') {
        if (g.slackApiUrl === undefined && g.slackApiUrlFile === '') fail('no global Slack API URL set either inline or in a file');
        sc.apiUrl = g.slackApiUrl;
        sc.apiUrlFile = g.slackApiUrlFile;
      }
    }
    for (const pd of rcv.pagerduty) pd.url ??= g.pagerdutyUrl ?? fail('no global PagerDuty URL set');
    for (const og of rcv.opsgenie) {
      og.apiUrl = withTrailingSlash(og.apiUrl ?? g.opsgenieApiUrl ?? fail('no global OpsGenie URL set'));
      if (og.apiKey === '' && og.apiKeyFile === '') {
        if (g.opsgenieApiKey === '' && g.opsgenieApiKeyFile === '') fail('no global OpsGenie API Key set either inline or in a file');
        og.apiKey = g.opsgenieApiKey;
        og.apiKeyFile = g.opsgenieApiKeyFile;
      }
    }
    for (const wc of rcv.wechat) {
      wc.apiUrl ??= g.wechatApiUrl ?? fail('no global Wechat URL set');
      if (wc.apiSecret === '') wc.apiSecret = g.wechatApiSecret !== '' ? g.wechatApiSecret : fail('no global Wechat ApiSecret set');
      if (wc.corpId === '') wc.corpId = g.wechatApiCorpId !== '' ? g.wechatApiCorpId : fail('no global Wechat CorpID set');
      wc.apiUrl = withTrailingSlash(wc.apiUrl);
    }
    for (const vo of rcv.victorops) {
      vo.apiUrl = withTrailingSlash(vo.apiUrl ?? g.victoropsApiUrl ?? fail('no global VictorOps URL set'));
      if (vo.apiKey === '' && vo.apiKeyFile === '') {
        if (g.victoropsApiKey === '' && g.victoropsApiKeyFile === '') fail('no global VictorOps API Key set');
        vo.apiKey = g.victoropsApiKey;
        vo.apiKeyFile = g.victoropsApiKeyFile;
      }
    }
    for (const tg of rcv.telegram) tg.apiUrl ??= g.telegramApiUrl;
    for (const dc of rcv.discord) if (dc.webhookUrl === undefined && dc.webhookUrlFile === '') fail('no discord webhook URL or URLFile provided');
    for (const wx of rcv.webex) wx.apiUrl ??= g.webexApiUrl ?? fail('no global Webex URL set');
    for (const mt of rcv.msteams) if (mt.webhookUrl === undefined && mt.webhookUrlFile === '') fail('no msteams webhook URL or URLFile provided');
    for (const mt of rcv.msteamsv2) if (mt.webhookUrl === undefined && mt.webhookUrlFile === '') fail('no msteamsv2 webhook URL or URLFile provided');
    for (const jc of rcv.jira) jc.apiUrl ??= g.jiraApiUrl ?? fail('no global Jira Cloud URL set');
    for (const rc of rcv.rocketchat) {
      rc.apiUrl ??= g.rocketchatApiUrl;
      if (rc.tokenId === undefined && rc.tokenIdFile === '') {
        if (g.rocketchatTokenId === undefined && g.rocketchatTokenIdFile === '') fail('no global Rocketchat TokenID set either inline or in a file');
        rc.tokenId = g.rocketchatTokenId;
        rc.tokenIdFile = g.rocketchatTokenIdFile;
      }
      if (rc.token === undefined && rc.tokenFile === '') {
        if (g.rocketchatToken === undefined && g.rocketchatTokenFile === '') fail('no global Rocketchat Token set either inline or in a file');
        rc.token = g.rocketchatToken;
        rc.tokenFile = g.rocketchatTokenFile;
      }
    }
    names.add(rcv.name);
  }
}
