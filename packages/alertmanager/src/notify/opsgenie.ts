import type { Alert } from '../alerts/alert.js';
import type { OpsgenieConfig } from '../config/receivers/receiver.js';
import type { NotifyContext } from './context.js';
import { integrationHttpClient, postChecked, type Retrier } from './http-post.js';
import { type IntegrationDeps, type IntegrationFactory, type Notifier } from './notifier.js';
import { encodeJson, groupKeyHash, omitEmpty, struct } from './payload.js';
import { readSecretFile, rendering, type Render } from './render.js';
import { truncateLogged } from './truncate.js';

/** Opsgenie's limit for an alert message (runes). */
const MAX_MESSAGE_RUNES = 130;
/** Rate limiting (429) and 5xx are retried. */
const RETRIER: Retrier = { retryCodes: [429] };

/** Splits on `sep` after trimming the whole text, dropping empty items (upstream's `safeSplit`). */
function safeSplit(s: string, sep: string): string[] {
  return s.trim().split(sep).filter((x) => x !== '');
}

/** One call of the Alert API: method, URL and JSON body. */
interface ApiCall {
  readonly method: 'POST' | 'PUT';
  readonly url: string;
  readonly body: string;
}

/** `<api_url><path>`, keeping the API URL's query and adding `identifierType=alias` where asked. */
function endpoint(apiUrl: string, path: string, byAlias: boolean): string {
  const url = new URL(apiUrl);
  url.pathname += path;
  if (byAlias) url.searchParams.set('identifierType', 'alias');
  return url.toString();
}

async function responders(config: OpsgenieConfig, text: Render) {
  const out = [];
  for (const r of config.responders) {
    const rendered = { id: await text(r.id), name: await text(r.name), username: await text(r.username), type: await text(r.type) };
    // Responders that render empty are dropped, so they can be filled from an alert's labels.
    if (Object.values(rendered).every((v) => v === '')) continue;
    if (rendered.type === 'teams') {
      for (const team of safeSplit(rendered.name, ',')) out.push(struct({ name: omitEmpty(await text(team)), type: await text('team') }));
      continue;
    }
    out.push(struct({ id: omitEmpty(rendered.id), name: omitEmpty(rendered.name), username: omitEmpty(rendered.username), type: rendered.type }));
  }
  return out;
}

/** The calls of one notification: create (and, with `update_alerts`, update message and description), or close. */
async function apiCalls(config: OpsgenieConfig, text: Render, alias: string, resolved: boolean, commonLabels: Readonly<Record<string, string>>, logger: IntegrationDeps['logger'], groupKey: string): Promise<ApiCall[]> {
  const apiUrl = config.apiUrl ?? '';
  if (resolved) return [{ method: 'POST', url: endpoint(apiUrl, `v2/alerts/${alias}/close`, true), body: encodeJson(struct({ source: await text(config.source) })) }];
  const details: Record<string, string> = { ...commonLabels };
  for (const [k, v] of Object.entries(config.details)) details[k] = await text(v);
  const message = truncateLogged(await text(config.message), MAX_MESSAGE_RUNES, logger, 'message', { alert: groupKey });
  const description = await text(config.description);
  const tags = safeSplit(await text(config.tags), ',');
  const actions = safeSplit(await text(config.actions), ',');
  const who = await responders(config, text);
  const create = struct({
    alias,
    message,
    description: omitEmpty(description),
    details,
    source: await text(config.source),
    responders: who.length > 0 ? who : undefined,
    tags: tags.length > 0 ? tags : undefined,
    note: omitEmpty(await text(config.note)),
    priority: omitEmpty(await text(config.priority)),
    entity: omitEmpty(await text(config.entity)),
    actions: actions.length > 0 ? actions : undefined,
  });
  const calls: ApiCall[] = [{ method: 'POST', url: endpoint(apiUrl, 'v2/alerts', false), body: encodeJson(create) }];
  if (config.updateAlerts) {
    calls.push(
      { method: 'PUT', url: endpoint(apiUrl, `v2/alerts/${alias}/message`, true), body: encodeJson(struct({ message: omitEmpty(message) })) },
      { method: 'PUT', url: endpoint(apiUrl, `v2/alerts/${alias}/description`, true), body: encodeJson(struct({ description: omitEmpty(description) })) },
    );
  }
  return calls;
}

/**
 * The Opsgenie integration (`notify/opsgenie`): creates an alert (alias: the SHA-256 of the group
 * key) while anything fires, closes it once all resolved, with `Authorization: GenieKey <api_key>`.
 * With `update_alerts`, the message and description of an existing alert are updated too.
 */
export const opsgenieIntegration: IntegrationFactory<'opsgenie'> = async (config: OpsgenieConfig, deps: IntegrationDeps): Promise<Notifier> => {
  const client = await integrationHttpClient(config.httpConfig);
  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
      const { data, text } = rendering(deps, ctx, alerts, 'templating error: ');
      const alias = groupKeyHash(ctx.groupKey);
      const calls = await apiCalls(config, text, alias, data.Status === 'resolved', data.CommonLabels.toJSON(), deps.logger, ctx.groupKey);
      // The key may be a template; one read from its file is trimmed after rendering, as upstream.
      const apiKey = config.apiKey !== '' ? await text(config.apiKey) : (await text(await readSecretFile(config.apiKeyFile, 'read key_file error', false, false))).trim();
      for (const call of calls) {
        await postChecked(client, call.url, call.body, RETRIER, { method: call.method, headers: { authorization: `GenieKey ${apiKey}` }, userAgent: deps.userAgent, signal: ctx.signal, redactUrl: false });
      }
    },
    close: () => client.close(),
  };
};
