import type { Alert } from '../alerts/alert.js';
import type { WechatConfig } from '../config/receivers/receiver.js';
import type { NotifyContext } from './context.js';
import { jsonObject } from './answer.js';
import { integrationHttpClient, postJson, type PostOptions } from './http-post.js';
import { notifyError, reasonOf, type IntegrationDeps, type IntegrationFactory, type Notifier } from './notifier.js';
import { encodeJson, encodeQuery, omitEmpty, struct } from './payload.js';
import { rendering, type Render } from './render.js';

/** How long an access token is used before a new one is fetched (upstream's 2 h). */
const TOKEN_LIFETIME_MS = 2 * 3_600_000;
/** WeChat's `errcode` for an expired access token: fetch a new one and retry. */
const EXPIRED_TOKEN = 42001;

/**
 * `<api_url><path>?<query>`, keys sorted as Go's `url.Values.Encode`: `params`, after the API
 * URL's own query when `keepQuery` (upstream keeps it for sending, replaces it to fetch a token).
 */
function apiEndpoint(apiUrl: string, path: string, params: Record<string, string>, keepQuery: boolean): string {
  const url = new URL(apiUrl);
  url.pathname += path;
  const query: Record<string, string> = keepQuery ? Object.fromEntries(url.searchParams) : {};
  Object.assign(query, params);
  url.search = encodeQuery(query);
  return url.toString();
}

/** The message: both content objects are always written (Go's `omitempty` keeps structs), the configured one filled. */
async function message(config: WechatConfig, text: Render): Promise<string> {
  const content = await text(config.message);
  const markdown = config.messageType === 'markdown';
  return encodeJson(
    struct({
      text: struct({ content: markdown ? '' : content }),
      touser: omitEmpty(await text(config.toUser)),
      toparty: omitEmpty(await text(config.toParty)),
      totag: omitEmpty(await text(config.toTag)),
      agentid: omitEmpty(await text(config.agentId)),
      safe: '0',
      msgtype: omitEmpty(config.messageType),
      markdown: struct({ content: markdown ? content : '' }),
    }),
  );
}

/**
 * The WeChat Work integration (`notify/wechat`): fetches an access token (`GET
 * <api_url>gettoken?corpid=…&corpsecret=…`, both rendered), keeps it for 2 hours, then POSTs the
 * message to `<api_url>message/send?access_token=…`. Any status but 200 is retried; so is an
 * answer with `errcode` 42001 (the token expired: the next attempt fetches a new one); another
 * non-zero `errcode` fails for good with its `errmsg`.
 */
export const wechatIntegration: IntegrationFactory<'wechat'> = async (config: WechatConfig, deps: IntegrationDeps): Promise<Notifier> => {
  const client = await integrationHttpClient(config.httpConfig);
  const apiUrl = config.apiUrl ?? '';
  let accessToken = '';
  let fetchedAt = 0;

  async function currentToken(text: Render, post: PostOptions): Promise<string> {
    if (accessToken !== '' && deps.clock.now() - fetchedAt <= TOKEN_LIFETIME_MS) return accessToken;
    const url = apiEndpoint(apiUrl, 'gettoken', { corpsecret: await text(config.apiSecret), corpid: await text(config.corpId) }, false);
    const answer = await postJson(client, url, '', { ...post, method: 'GET', contentType: '' });
    const token = jsonObject(answer.body, (err) => notifyError(err.message, false, 'other', err))['access_token'];
    if (typeof token !== 'string' || token === '') throw notifyError(`invalid APISecret for CorpID: ${config.corpId}`, false);
    accessToken = token;
    fetchedAt = deps.clock.now();
    return token;
  }

  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
      const { text } = rendering(deps, ctx, alerts, 'templating error: ');
      const post: PostOptions = { userAgent: deps.userAgent, signal: ctx.signal, redactUrl: true };
      const token = await currentToken(text, post);
      const body = await message(config, text);
      const answer = await postJson(client, apiEndpoint(apiUrl, 'message/send', { access_token: token }, true), body, post);
      if (answer.statusCode !== 200) throw notifyError(`unexpected status code ${answer.statusCode}`, true, reasonOf(answer.statusCode));
      deps.logger.debug(answer.body, { incident: ctx.groupKey });
      const result = jsonObject(answer.body, (err) => notifyError(err.message, true, 'other', err));
      const code = typeof result['errcode'] === 'number' ? result['errcode'] : 0;
      if (code === 0) return;
      const errmsg = typeof result['errmsg'] === 'string' ? result['errmsg'] : '';
      if (code === EXPIRED_TOKEN) accessToken = '';
      throw notifyError(errmsg, code === EXPIRED_TOKEN);
    },
    close: () => client.close(),
  };
};
