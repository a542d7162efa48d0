import type { Labels } from '@pyrometer/model';
import type { Alert } from './alert.js';

/**
 * The fields of an alerting rule's alert that {@link sendAlerts} reads (upstream's `rules.Alert`).
 * Times are milliseconds since the Unix epoch; `resolvedAt` is 0 while the alert fires.
 * `validUntil` is what the rule computed at send time: evaluation time + 4 × max(group interval,
 * resend delay).
 */
export interface RuleAlert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly firedAt: number;
  readonly resolvedAt: number;
  readonly validUntil: number;
}

/** Anything that accepts alerts for delivery (the {@link Notifier}). */
export interface AlertSender {
  send(alerts: readonly Alert[]): void;
}

/**
 * Upstream's `sendAlerts`/`rules.SendAlerts`: the function a rule manager calls with the alerts of
 * one rule that need sending. Each becomes a notifier alert with `startsAt` = fired time, `endsAt`
 * = resolved time if resolved, else the rule's `validUntil`, and `generatorURL` = `externalURL` +
 * `/graph?g0.expr=<expr>&g0.tab=1`. An empty list sends nothing. `externalURL` has no trailing
 * slash (as `--web.external-url` is normalised).
 */
export function sendAlerts(sender: AlertSender, externalURL: string): (expr: string, alerts: readonly RuleAlert[]) => void {
  return (expr, alerts) => {
    if (alerts.length === 0) return;
    const generatorURL = externalURL + tableLinkForExpression(expr);
    sender.send(
      alerts.map((a) => ({
        labels: a.labels,
        annotations: a.annotations,
        startsAt: a.firedAt,
        endsAt: a.resolvedAt !== 0 ? a.resolvedAt : a.validUntil,
        generatorURL,
      })),
    );
  };
}

/** The relative link to the table view of `expr`, escaped as Go's `url.QueryEscape` does. */
export function tableLinkForExpression(expr: string): string {
  return `/graph?g0.expr=${goQueryEscape(expr)}&g0.tab=1`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Go's `url.QueryEscape`: only `A-Za-z0-9-_.~` stay, a space becomes `+`, all else is %XX of its UTF-8 bytes. */
function goQueryEscape(s: string): string {
  // A lone surrogate cannot be UTF-8 encoded (encodeURIComponent would throw); it becomes U+FFFD.
  return encodeURIComponent(s.replace(LONE_SURROGATE, '\uFFFD'))
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}
