import { goQuote } from '@pyrometer/model';
import type { Alert } from '../alerts/alert.js';
import type { PagerdutyConfig } from '../config/receivers/receiver.js';
import type { NotifyContext } from './context.js';
import { integrationHttpClient, postChecked, type Retrier } from './http-post.js';
import { notifyError, type IntegrationDeps, type IntegrationFactory, type Notifier } from './notifier.js';
import { encodeJson, groupKeyHash, omitEmpty, struct } from './payload.js';
import { readSecretFile, rendering, type Render } from './render.js';
import { truncateLogged } from './truncate.js';

/** PagerDuty refuses events larger than this (bytes); the custom details are dropped to fit. */
const MAX_EVENT_BYTES = 512_000;
/** PagerDuty's limit for the v1 description and the v2 summary (runes). */
const MAX_SUMMARY_RUNES = 1024;
/** Where upstream sends Events API v1 (`service_key`) events; it does not use `url` for them. */
const EVENTS_V1_URL = 'https://events.pagerduty.com/generic/2010-04-15/create_event.json';

/** alecthomas/units' `MetricBytes.String()`: `512KB`, `600KB123B`. */
function metricBytes(n: number): string {
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E'];
  const parts: string[] = [];
  for (const unit of units) {
    if (n % 1000 !== 0 || (unit === '' && n === 0)) parts.unshift(`${n % 1000}${unit}B`);
    n = Math.floor(n / 1000);
    if (n === 0) break;
  }
  return parts.join('');
}

/** On 400, PagerDuty explains itself in `{message, errors}`; the error shows `message: e1,e2`. */
function pagerdutyDetails(statusCode: number, body: string): string {
  if (statusCode !== 400 || body === '') return '';
  try {
    const parsed = JSON.parse(body) as { message?: unknown; errors?: unknown };
    const errors = Array.isArray(parsed.errors) ? parsed.errors.filter((e): e is string => typeof e === 'string') : [];
    return `${typeof parsed.message === 'string' ? parsed.message : ''}: ${errors.join(',')}`;
  } catch {
    return '';
  }
}

/** Events API v1 retries rate limiting (403) and 5xx; v2 retries 429 and 5xx. */
const V1_RETRIER: Retrier = { retryCodes: [403], details: pagerdutyDetails };
const V2_RETRIER: Retrier = { retryCodes: [429], details: pagerdutyDetails };

/** The event JSON; when it is too large, again with the details replaced by a note (upstream's `encodeMessage`). */
function encodeEvent(build: (details: Record<string, string>) => unknown, details: Record<string, string>, logger: IntegrationDeps['logger']): string {
  const body = encodeJson(build(details));
  const size = Buffer.byteLength(body);
  if (size <= MAX_EVENT_BYTES) return body;
  logger.warn(`Truncated Details because message of size ${metricBytes(size)} exceeds limit ${metricBytes(MAX_EVENT_BYTES)}`);
  return encodeJson(build({ error: `Custom details have been removed because the original event exceeds the maximum size of ${metricBytes(MAX_EVENT_BYTES)}` }));
}

interface EventInput {
  readonly config: PagerdutyConfig;
  readonly text: Render;
  readonly action: 'trigger' | 'resolve';
  readonly dedupKey: string;
  readonly details: Record<string, string>;
  readonly logger: IntegrationDeps['logger'];
}

/** An Events API v2 event (`/v2/enqueue`). */
async function eventV2(i: EventInput, routingKeyText: string): Promise<string> {
  const { config, text } = i;
  const summary = truncateLogged(await text(config.description), MAX_SUMMARY_RUNES, i.logger, 'summary', { key: i.dedupKey });
  const images: unknown[] = [];
  for (const img of config.images) {
    const src = await text(img.src);
    if (src !== '') images.push(struct({ src, alt: await text(img.alt), href: await text(img.href) }));
  }
  const links: unknown[] = [];
  for (const link of config.links) {
    const href = await text(link.href);
    if (href !== '') links.push(struct({ href, text: await text(link.text) }));
  }
  const fields = {
    client: omitEmpty(await text(config.client)),
    clientUrl: omitEmpty(await text(config.clientUrl)),
    routingKey: await text(routingKeyText),
    source: await text(config.source),
    severity: await text(config.severity === '' ? 'error' : config.severity),
    class: omitEmpty(await text(config.class)),
    component: omitEmpty(await text(config.component)),
    group: omitEmpty(await text(config.group)),
  };
  if (fields.routingKey === '') throw notifyError('routing key cannot be empty', false);
  return encodeEvent(
    (details) =>
      struct({
        routing_key: fields.routingKey,
        dedup_key: i.dedupKey,
        event_action: i.action,
        payload: struct({ summary, source: fields.source, severity: fields.severity, class: fields.class, component: fields.component, group: fields.group, custom_details: Object.keys(details).length > 0 ? details : undefined }),
        client: fields.client,
        client_url: fields.clientUrl,
        images: images.length > 0 ? images : undefined,
        links: links.length > 0 ? links : undefined,
      }),
    i.details,
    i.logger,
  );
}

/** An Events API v1 event (`service_key`). */
async function eventV1(i: EventInput, serviceKeyText: string): Promise<string> {
  const { config, text } = i;
  const description = truncateLogged(await text(config.description), MAX_SUMMARY_RUNES, i.logger, 'description', { key: i.dedupKey });
  const serviceKey = await text(serviceKeyText);
  const trigger = i.action === 'trigger';
  const client = trigger ? omitEmpty(await text(config.client)) : undefined;
  const clientUrl = trigger ? omitEmpty(await text(config.clientUrl)) : undefined;
  if (serviceKey === '') throw notifyError('service key cannot be empty', false);
  return encodeEvent(
    (details) =>
      struct({
        service_key: serviceKey,
        incident_key: i.dedupKey,
        event_type: i.action,
        description: omitEmpty(description),
        event_action: '',
        payload: null,
        client,
        client_url: clientUrl,
        details: Object.keys(details).length > 0 ? details : undefined,
      }),
    i.details,
    i.logger,
  );
}

/** Options of {@link pagerdutyIntegrationWith}. */
export interface PagerdutyOptions {
  /** Where Events API v1 events go (upstream's fixed endpoint; tests point it at a local server). */
  readonly eventsV1Url: string;
}

/**
 * The PagerDuty integration (`notify/pagerduty`): with `routing_key`, an Events API v2 event to
 * `url`; with `service_key`, an Events API v1 event. `trigger` while anything fires, `resolve`
 * once all resolved; the dedup key is the SHA-256 of the group key, so PagerDuty folds repeats
 * into one incident.
 */
export function pagerdutyIntegrationWith(options: PagerdutyOptions): IntegrationFactory<'pagerduty'> {
  return async (config: PagerdutyConfig, deps: IntegrationDeps): Promise<Notifier> => {
    const client = await integrationHttpClient(config.httpConfig);
    const v1 = config.serviceKey !== '' || config.serviceKeyFile !== '';
    return {
      async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
        const { data, text } = rendering(deps, ctx, alerts, `failed to template PagerDuty ${v1 ? 'v1' : 'v2'} message: `);
        const details: Record<string, string> = {};
        for (const [k, v] of Object.entries(config.details)) {
          try {
            details[k] = await deps.templates.executeText(v, data);
          } catch (err) {
            throw notifyError(`${goQuote(k)}: failed to template ${goQuote(v)}: ${(err as Error).message}`, false, 'other', err);
          }
        }
        const input: EventInput = { config, text, action: data.Status === 'resolved' ? 'resolve' : 'trigger', dedupKey: groupKeyHash(ctx.groupKey), details, logger: deps.logger };
        const body = v1
          ? await eventV1(input, config.serviceKey !== '' ? config.serviceKey : await readSecretFile(config.serviceKeyFile, 'failed to read service key from file'))
          : await eventV2(input, config.routingKey !== '' ? config.routingKey : await readSecretFile(config.routingKeyFile, 'failed to read routing key from file'));
        const post = { userAgent: deps.userAgent, signal: ctx.signal, redactUrl: false, networkErrorPrefix: `failed to post message to PagerDuty${v1 ? ' v1' : ''}: ` };
        await postChecked(client, v1 ? options.eventsV1Url : (config.url ?? ''), body, v1 ? V1_RETRIER : V2_RETRIER, post);
      },
      close: () => client.close(),
    };
  };
}

/** The PagerDuty integration with upstream's endpoints. */
export const pagerdutyIntegration = pagerdutyIntegrationWith({ eventsV1Url: EVENTS_V1_URL });
