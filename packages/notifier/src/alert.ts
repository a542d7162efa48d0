import { jsonString, labelsJson } from '@pyrometer/http-api';
import type { Labels } from '@pyrometer/model';

/**
 * An alert as the notifier sends it (upstream's `notifier.Alert`). `labels` identify it and must
 * include `alertname`; `annotations` carry extra information. Times are milliseconds since the Unix
 * epoch, 0 meaning "not set" (sent as Go's zero time, which Alertmanager fills in). Treated as
 * immutable once handed to the notifier.
 */
export interface Alert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly startsAt: number;
  readonly endsAt: number;
  /** A link back to the expression that produced the alert; empty for none. */
  readonly generatorURL: string;
}

/**
 * The request body of `POST /api/v2/alerts` for `alerts`, byte for byte as Prometheus writes it
 * (go-swagger's `PostableAlerts`): `annotations` (left out when empty), `endsAt`, `startsAt`,
 * `generatorURL` (left out when empty), `labels`; times in RFC 3339 with milliseconds, UTC.
 */
export function postableAlertsJson(alerts: readonly Alert[]): string {
  const items = alerts.map((a) => {
    let out = '{';
    if (a.annotations.size > 0) out += `"annotations":${labelsJson(a.annotations)},`;
    out += `"endsAt":"${dateTime(a.endsAt)}","startsAt":"${dateTime(a.startsAt)}",`;
    if (a.generatorURL !== '') out += `"generatorURL":${jsonString(a.generatorURL)},`;
    return out + `"labels":${labelsJson(a.labels)}}`;
  });
  return `[${items.join(',')}]`;
}

/** Go's zero `time.Time` as strfmt writes it. */
const ZERO_TIME = '0001-01-01T00:00:00.000Z';

function dateTime(ms: number): string {
  return ms === 0 ? ZERO_TIME : new Date(ms).toISOString();
}
