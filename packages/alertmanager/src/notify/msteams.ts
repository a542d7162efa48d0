import type { Alert } from '../alerts/alert.js';
import type { MsteamsConfig, MsteamsV2Config } from '../config/receivers/receiver.js';
import type { NotifyContext } from './context.js';
import { integrationHttpClient, postChecked } from './http-post.js';
import type { IntegrationDeps, IntegrationFactory, Notifier } from './notifier.js';
import { encodeJson, struct } from './payload.js';
import { readSecretFile, rendering, type Render } from './render.js';

type TeamsConfig = MsteamsConfig | MsteamsV2Config;

/** An Office 365 connector card (`MessageCard`): title, summary, text and a colour by status. */
async function messageCard(config: MsteamsConfig, text: Render, status: string): Promise<string> {
  const title = await text(config.title);
  const body = await text(config.text);
  const summary = await text(config.summary);
  const themeColor = status === 'firing' ? '8C1A1A' : status === 'resolved' ? '2DC72D' : '808080';
  return encodeJson(struct({ '@context': 'http://schema.org/extensions', type: 'MessageCard', title, summary, text: body, themeColor }));
}

/** A Teams workflow message: one Adaptive Card with a coloured heading and the text. */
async function adaptiveCard(config: MsteamsV2Config, text: Render, status: string): Promise<string> {
  const title = await text(config.title);
  const body = await text(config.text);
  const color = status === 'firing' ? 'Attention' : status === 'resolved' ? 'Good' : 'Warning';
  const content = struct({
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.2',
    body: [struct({ type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true, style: 'heading', color }), struct({ type: 'TextBlock', text: body, wrap: true })],
    msteams: struct({ width: 'full' }),
  });
  return encodeJson(struct({ type: 'message', attachments: [struct({ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content })] }));
}

/** Both Teams integrations: render the card, POST it to `webhook_url` (or the URL in its file); 5xx is retried. */
function teamsIntegration<C extends TeamsConfig>(card: (config: C, text: Render, status: string) => Promise<string>) {
  return async (config: C, deps: IntegrationDeps): Promise<Notifier> => {
    const client = await integrationHttpClient(config.httpConfig);
    return {
      async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
        const { data, text } = rendering(deps, ctx, alerts);
        const body = await card(config, text, data.Status);
        const url = config.webhookUrl ?? (await readSecretFile(config.webhookUrlFile, 'read webhook_url_file'));
        await postChecked(client, url, body, {}, { userAgent: deps.userAgent, signal: ctx.signal, redactUrl: true });
      },
      close: () => client.close(),
    };
  };
}

/** `msteams_configs` (`notify/msteams`): a MessageCard to an Office 365 connector webhook. */
export const msteamsIntegration: IntegrationFactory<'msteams'> = teamsIntegration(messageCard);

/** `msteamsv2_configs` (`notify/msteamsv2`): an Adaptive Card to a Teams workflow (Power Automate) webhook. */
export const msteamsV2Integration: IntegrationFactory<'msteamsv2'> = teamsIntegration(adaptiveCard);
