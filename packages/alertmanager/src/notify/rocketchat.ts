import { goQuote } from '@pyrometer/model';
import type { Alert } from '../alerts/alert.js';
import type { RocketchatConfig } from '../config/receivers/receiver.js';
import type { NotifyContext } from './context.js';
import { jsonObject } from './answer.js';
import { checkStatus, integrationHttpClient, postJson } from './http-post.js';
import { notifyError, type IntegrationDeps, type IntegrationFactory, type Notifier } from './notifier.js';
import { encodeJson, omitEmpty, struct } from './payload.js';
import { prefixed, readSecretFile, rendering, type Render } from './render.js';
import { truncateLogged } from './truncate.js';
import { joinPath } from './url.js';

/** Rocket.Chat's limit for an attachment title (runes). */
const MAX_TITLE_RUNES = 1024;

/** One attachment: title, link, text, images, colour, then the configured fields and buttons. */
async function attachment(config: RocketchatConfig, text: Render, title: string) {
  const fields = [];
  for (const f of config.fields) fields.push(struct({ short: f.short ?? config.shortFields, title: omitEmpty(await text(f.title)), value: omitEmpty(await text(f.value)) }));
  const actions = [];
  // Only buttons exist; of an action only its text, URL and message are sent.
  for (const a of config.actions) actions.push(struct({ type: 'button', text: omitEmpty(await text(a.text)), url: omitEmpty(await text(a.url)), is_webview: false, msg: omitEmpty(await text(a.msg)), msg_in_chat_window: false }));
  return struct({
    title: omitEmpty(title),
    title_link: omitEmpty(await text(config.titleLink)),
    text: omitEmpty(await text(config.text)),
    image_url: omitEmpty(await text(config.imageUrl)),
    thumb_url: omitEmpty(await text(config.thumbUrl)),
    color: omitEmpty(await text(config.color)),
    fields: fields.length > 0 ? fields : undefined,
    actions: actions.length > 0 ? actions : undefined,
  });
}

/** A 2xx answer must be JSON with `"success": true`; one that is not JSON is retried, a refusal is not. */
function checkRocketchatAnswer(body: string): void {
  const answer = jsonObject(body, (err) => notifyError(`could not unmarshal JSON response ${goQuote(body)}: ${err.message}`, true, 'clientError', err));
  if (answer.success !== true) throw notifyError(`error response from Rocketchat: ${typeof answer.error === 'string' ? answer.error : ''}`, false, 'clientError');
}

/**
 * The Rocket.Chat integration (`notify/rocketchat`): POSTs one message with one attachment to
 * `<api_url>/api/v1/chat.postMessage`, with `X-Auth-Token` and `X-User-Id`. As upstream, the
 * token files are read when the notifier is built (a config load), not at each send.
 */
export const rocketchatIntegration: IntegrationFactory<'rocketchat'> = async (config: RocketchatConfig, deps: IntegrationDeps): Promise<Notifier> => {
  const token = config.tokenFile !== '' ? await readSecretFile(config.tokenFile, `could not read ${config.tokenFile}`) : (config.token ?? '');
  const tokenId = config.tokenIdFile !== '' ? await readSecretFile(config.tokenIdFile, `could not read ${config.tokenIdFile}`) : (config.tokenId ?? '');
  const url = joinPath(config.apiUrl ?? '', 'api/v1/chat.postMessage');
  const client = await integrationHttpClient(config.httpConfig);
  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
      const { text } = rendering(deps, ctx, alerts);
      const title = truncateLogged(await text(config.title), MAX_TITLE_RUNES, deps.logger, 'title', { key: ctx.groupKey });
      const channel = await text(config.channel);
      const message = struct({ channel: omitEmpty(channel), emoji: omitEmpty(await text(config.emoji)), avatar: omitEmpty(await text(config.iconUrl)), attachments: [await attachment(config, text, title)] });
      const answer = await postJson(client, url, encodeJson(message), { headers: { 'x-auth-token': token, 'x-user-id': tokenId }, userAgent: deps.userAgent, signal: ctx.signal, redactUrl: true });
      try {
        const failure = checkStatus({}, answer.statusCode, answer.body);
        if (failure !== undefined) throw failure;
        checkRocketchatAnswer(answer.body);
      } catch (err) {
        throw prefixed(err, `channel ${goQuote(channel)}: `);
      }
    },
    close: () => client.close(),
  };
};
