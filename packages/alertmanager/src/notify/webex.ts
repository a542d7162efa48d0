import type { Alert } from '../alerts/alert.js';
import type { WebexConfig } from '../config/receivers/receiver.js';
import type { NotifyContext } from './context.js';
import { integrationHttpClient, postChecked } from './http-post.js';
import type { IntegrationDeps, IntegrationFactory, Notifier } from './notifier.js';
import { encodeJson, omitEmpty, struct } from './payload.js';
import { rendering } from './render.js';
import { truncateInBytes } from './truncate.js';

/** Webex's limit for a message (bytes). */
const MAX_MESSAGE_BYTES = 7439;

/**
 * The Webex integration (`notify/webex`): POSTs `{"markdown", "roomId"}` to `api_url` (the
 * messages API), authorised by `http_config.authorization` (required by the config). Only 5xx is
 * retried; upstream 0.28 classifies no failure reason here, so failures count as `other`.
 */
export const webexIntegration: IntegrationFactory<'webex'> = async (config: WebexConfig, deps: IntegrationDeps): Promise<Notifier> => {
  const client = await integrationHttpClient(config.httpConfig);
  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
      const { text } = rendering(deps, ctx, alerts);
      const [markdown, truncated] = truncateInBytes(await text(config.message), MAX_MESSAGE_BYTES);
      if (truncated) deps.logger.debug('message truncated due to exceeding maximum allowed length by webex', { key: ctx.groupKey, max_bytes: MAX_MESSAGE_BYTES });
      const body = encodeJson(struct({ markdown, roomId: omitEmpty(await text(config.roomId)) }));
      await postChecked(client, config.apiUrl ?? '', body, { withReason: false }, { userAgent: deps.userAgent, signal: ctx.signal, redactUrl: true });
    },
    close: () => client.close(),
  };
};
