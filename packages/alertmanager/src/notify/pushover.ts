import type { Alert } from '../alerts/alert.js';
import type { PushoverConfig } from '../config/receivers/receiver.js';
import type { NotifyContext } from './context.js';
import { integrationHttpClient, postChecked } from './http-post.js';
import type { IntegrationDeps, IntegrationFactory, Notifier } from './notifier.js';
import { encodeQuery } from './payload.js';
import { readSecretFile, rendering } from './render.js';
import { truncateLogged } from './truncate.js';

/** Pushover's limits (runes): title, message, supplementary URL. */
const MAX_TITLE_RUNES = 250;
const MAX_MESSAGE_RUNES = 1024;
const MAX_URL_RUNES = 512;

/** Upstream's fixed Messages API endpoint. */
const MESSAGES_URL = 'https://api.pushover.net/1/messages.json';

/** Options of {@link pushoverIntegrationWith}. */
export interface PushoverOptions {
  /** Where messages go (upstream's fixed endpoint; tests point it at a local server). */
  readonly messagesUrl: string;
}

/**
 * The Pushover integration (`notify/pushover`): every parameter in the query string of an
 * empty `text/plain` POST to the Messages API. Token and user key are templates too (read
 * untrimmed from their files, as upstream); `html: true` renders the message with HTML
 * escaping. Only 5xx is retried.
 */
export function pushoverIntegrationWith(options: PushoverOptions): IntegrationFactory<'pushover'> {
  return async (config: PushoverConfig, deps: IntegrationDeps): Promise<Notifier> => {
    const client = await integrationHttpClient(config.httpConfig);
    return {
      async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
        const { text, html } = rendering(deps, ctx, alerts);
        const token = config.token !== '' ? config.token : await readSecretFile(config.tokenFile, 'read token_file', false, false);
        const userKey = config.userKey !== '' ? config.userKey : await readSecretFile(config.userKeyFile, 'read user_key_file', false, false);
        const key = { incident: ctx.groupKey };
        const params: Record<string, string> = { token: await text(token), user: await text(userKey) };
        params['title'] = truncateLogged(await text(config.title), MAX_TITLE_RUNES, deps.logger, 'title', key);
        if (config.html) params['html'] = '1';
        const message = truncateLogged(await (config.html ? html : text)(config.message), MAX_MESSAGE_RUNES, deps.logger, 'message', key).trim();
        params['message'] = message === '' ? '(no details)' : message;
        params['url'] = truncateLogged(await text(config.url), MAX_URL_RUNES, deps.logger, 'URL', key);
        params['url_title'] = await text(config.urlTitle);
        params['priority'] = await text(config.priority);
        params['retry'] = String(Math.trunc(config.retry / 1000));
        params['expire'] = String(Math.trunc(config.expire / 1000));
        params['device'] = await text(config.device);
        params['sound'] = await text(config.sound);
        if (Math.trunc(config.ttl / 1000) > 0) params['ttl'] = String(Math.trunc(config.ttl / 1000));
        const url = new URL(options.messagesUrl);
        url.search = encodeQuery(params);
        await postChecked(client, url.toString(), '', {}, { contentType: 'text/plain', userAgent: deps.userAgent, signal: ctx.signal, redactUrl: true });
      },
      close: () => client.close(),
    };
  };
}

/** The Pushover integration with upstream's endpoint. */
export const pushoverIntegration = pushoverIntegrationWith({ messagesUrl: MESSAGES_URL });
