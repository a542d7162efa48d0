import { WebhookReceiverError } from './errors.js';

/** One alert of a notification, as Alertmanager's webhook (payload version 4) sends it. */
export interface NotifiedAlert {
  readonly status: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly generatorURL: string;
  readonly fingerprint: string;
}

/**
 * A notification: one POST of Alertmanager's webhook integration for one aggregation group.
 * `status` is `firing` when any alert fires, `resolved` when all are resolved.
 */
export interface WebhookPayload {
  readonly receiver: string;
  readonly status: string;
  readonly alerts: readonly NotifiedAlert[];
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly commonAnnotations: Readonly<Record<string, string>>;
  readonly externalURL: string;
  readonly version: string;
  readonly groupKey: string;
  readonly truncatedAlerts: number;
}

type Json = Readonly<Record<string, unknown>>;

/**
 * Reads a webhook request body. Throws {@link WebhookReceiverError}: `invalid_json` when the body
 * is not JSON, `invalid_payload` naming the first field that is missing or of the wrong type
 * (e.g. `alerts[1].labels.severity: expected a string, got 3`). Fields a receiver can do without
 * (`commonAnnotations`, `externalURL`, `generatorURL`, …) default to empty.
 */
export function parseWebhookPayload(body: string): WebhookPayload {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    throw new WebhookReceiverError('invalid_json', `the body is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const root = object(value, 'the body');
  const alerts = required(root, 'alerts', '');
  if (!Array.isArray(alerts)) throw invalid('alerts', 'an array', alerts);
  return {
    receiver: string(root, 'receiver', ''),
    status: string(root, 'status', ''),
    alerts: alerts.map((a: unknown, i) => parseAlert(object(a, `alerts[${i}]`), `alerts[${i}].`)),
    groupLabels: labels(root, 'groupLabels', '', false),
    commonLabels: labels(root, 'commonLabels', '', false),
    commonAnnotations: labels(root, 'commonAnnotations', '', false),
    externalURL: optionalString(root, 'externalURL', ''),
    version: optionalString(root, 'version', ''),
    groupKey: optionalString(root, 'groupKey', ''),
    truncatedAlerts: typeof root['truncatedAlerts'] === 'number' ? root['truncatedAlerts'] : 0,
  };
}

function parseAlert(alert: Json, at: string): NotifiedAlert {
  return {
    status: string(alert, 'status', at),
    labels: labels(alert, 'labels', at, true),
    annotations: labels(alert, 'annotations', at, false),
    startsAt: optionalString(alert, 'startsAt', at),
    endsAt: optionalString(alert, 'endsAt', at),
    generatorURL: optionalString(alert, 'generatorURL', at),
    fingerprint: optionalString(alert, 'fingerprint', at),
  };
}

function object(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new WebhookReceiverError('invalid_payload', `${what}: expected an object, got ${describe(value)}`);
  return value as Json;
}

function required(from: Json, key: string, at: string): unknown {
  if (!(key in from)) throw new WebhookReceiverError('invalid_payload', `${at}${key}: missing`);
  return from[key];
}

function string(from: Json, key: string, at: string): string {
  const value = required(from, key, at);
  if (typeof value !== 'string') throw invalid(`${at}${key}`, 'a string', value);
  return value;
}

function optionalString(from: Json, key: string, at: string): string {
  const value = from[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw invalid(`${at}${key}`, 'a string', value);
  return value;
}

/** A map of strings (labels, annotations); `mandatory` ones must be present. */
function labels(from: Json, key: string, at: string, mandatory: boolean): Readonly<Record<string, string>> {
  const value = mandatory ? required(from, key, at) : from[key];
  if (value === undefined || value === null) return {};
  const map = object(value, `${at}${key}`);
  for (const [name, v] of Object.entries(map)) if (typeof v !== 'string') throw invalid(`${at}${key}.${name}`, 'a string', v);
  return map as Readonly<Record<string, string>>;
}

function invalid(path: string, expected: string, got: unknown): WebhookReceiverError {
  return new WebhookReceiverError('invalid_payload', `${path}: expected ${expected}, got ${describe(got)}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
