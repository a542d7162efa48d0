import type { Alert } from '../alerts/alert.js';
import type { DiscordConfig } from '../config/receivers/receiver.js';
import type { NotifyContext } from './context.js';
import { integrationHttpClient, postChecked } from './http-post.js';
import type { IntegrationDeps, IntegrationFactory, Notifier } from './notifier.js';
import { encodeJson, struct } from './payload.js';
import { readSecretFile, rendering } from './render.js';
import { truncateLogged } from './truncate.js';

/** Discord's embed limits (runes): title, description; and the message content's. */
const MAX_TITLE_RUNES = 256;
const MAX_DESCRIPTION_RUNES = 4096;
const MAX_CONTENT_RUNES = 2000;

/** Whether Go's `url.Parse` would accept the avatar URL (it accepts nearly anything). */
function parsesAsUrl(s: string): boolean {
  return URL.canParse(s, 'http://relative.invalid/');
}

/**
 * The Discord integration (`notify/discord`): POSTs the content and one embed (title,
 * description, red while firing, green when resolved) to `webhook_url`. Upstream classifies no
 * failure reason here, so failures count as `other`.
 */
export const discordIntegration: IntegrationFactory<'discord'> = async (config: DiscordConfig, deps: IntegrationDeps): Promise<Notifier> => {
  const client = await integrationHttpClient(config.httpConfig);
  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
      const { data, text } = rendering(deps, ctx, alerts);
      const key = { key: ctx.groupKey };
      const title = truncateLogged(await text(config.title), MAX_TITLE_RUNES, deps.logger, 'title', key);
      const description = truncateLogged(await text(config.message), MAX_DESCRIPTION_RUNES, deps.logger, 'message', key);
      const content = truncateLogged(await text(config.content), MAX_CONTENT_RUNES, deps.logger, 'message', key);
      const color = data.Status === 'firing' ? 0x992d22 : data.Status === 'resolved' ? 0x2ecc71 : 0x95a5a6;
      let avatar: string | undefined;
      if (config.avatarUrl !== '') {
        if (parsesAsUrl(config.avatarUrl)) avatar = config.avatarUrl;
        else deps.logger.warn('Bad avatar url', key);
      }
      const url = config.webhookUrl ?? (await readSecretFile(config.webhookUrlFile, 'read webhook_url_file'));
      const body = encodeJson(struct({ content, embeds: [struct({ title, description, color: BigInt(color) })], username: config.username === '' ? undefined : config.username, avatar_url: avatar }));
      await postChecked(client, url, body, { withReason: false }, { userAgent: deps.userAgent, signal: ctx.signal, redactUrl: true });
    },
    close: () => client.close(),
  };
};
