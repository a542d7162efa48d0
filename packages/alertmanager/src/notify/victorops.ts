import type { Alert } from '../alerts/alert.js';
import type { VictoropsConfig } from '../config/receivers/receiver.js';
import type { NotifyContext } from './context.js';
import { integrationHttpClient, postChecked } from './http-post.js';
import { notifyError, type IntegrationDeps, type IntegrationFactory, type Notifier } from './notifier.js';
import { encodeJson, groupKeyHash } from './payload.js';
import { readSecretFile, rendering, type Render } from './render.js';
import { truncateLogged } from './truncate.js';

/** VictorOps's limit for a state message (runes). */
const MAX_STATE_MESSAGE_RUNES = 20480;
/** The message types a firing notification may carry; anything else becomes `CRITICAL`. */
const FIRING_TYPES = new Set(['INFO', 'WARNING', 'CRITICAL']);

/** The event as upstream builds it: a map of strings (Go encodes it with sorted keys). */
async function event(config: VictoropsConfig, text: Render, status: string, groupKey: string, logger: IntegrationDeps['logger']): Promise<Record<string, string>> {
  let messageType = await text(config.messageType);
  if (status === 'firing' && !FIRING_TYPES.has(messageType)) messageType = 'CRITICAL';
  if (status === 'resolved') messageType = 'RECOVERY';
  const out: Record<string, string> = {
    message_type: messageType,
    entity_id: groupKeyHash(groupKey),
    entity_display_name: await text(config.entityDisplayName),
    state_message: truncateLogged(await text(config.stateMessage), MAX_STATE_MESSAGE_RUNES, logger, 'state_message', { incident: groupKey }),
    monitoring_tool: await text(config.monitoringTool),
  };
  for (const [k, v] of Object.entries(config.customFields)) out[k] = await text(v);
  return out;
}

/** The same template failure, retryable: upstream retries failures building the event (not the URL). */
async function retryingTemplateErrors<T>(build: () => Promise<T>): Promise<T> {
  try {
    return await build();
  } catch (err) {
    throw notifyError((err as Error).message, true, 'other', err);
  }
}

/**
 * The VictorOps (Splunk On-Call) integration (`notify/victorops`): POSTs an event to
 * `<api_url><api_key>/<routing_key>` (the routing key a template). `message_type` is kept while
 * firing when it is INFO, WARNING or CRITICAL (else CRITICAL) and is RECOVERY once all resolved;
 * `entity_id` is the SHA-256 of the group key, so VictorOps folds repeats into one incident.
 * Only 5xx is retried.
 */
export const victoropsIntegration: IntegrationFactory<'victorops'> = async (config: VictoropsConfig, deps: IntegrationDeps): Promise<Notifier> => {
  const client = await integrationHttpClient(config.httpConfig);
  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
      const { data, text } = rendering(deps, ctx, alerts, 'templating error: ');
      const apiKey = config.apiKey !== '' ? config.apiKey : await readSecretFile(config.apiKeyFile, 'failed to read API key from file');
      const url = new URL(config.apiUrl ?? '');
      url.pathname += `${apiKey}/${await text(config.routingKey)}`;
      const body = encodeJson(await retryingTemplateErrors(() => event(config, text, data.Status, ctx.groupKey, deps.logger)));
      await postChecked(client, url.toString(), body, {}, { userAgent: deps.userAgent, signal: ctx.signal, redactUrl: true });
    },
    close: () => client.close(),
  };
};
