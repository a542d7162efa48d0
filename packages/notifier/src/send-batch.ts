import { Labels } from '@pyrometer/model';
import type { Logger } from '@pyrometer/telemetry';
import { postableAlertsJson, type Alert } from './alert.js';
import type { AlertmanagerSet } from './alertmanager-set.js';
import { NotifierError } from './errors.js';
import type { NotifierMetrics } from './metrics.js';
import { relabelAlerts } from './relabel-alerts.js';

/** What {@link sendBatch} needs besides the batch and the sets. */
export interface SendContext {
  userAgent: string;
  logger: Logger;
  metrics: NotifierMetrics;
}

/**
 * Posts one batch to every active Alertmanager of every set concurrently (upstream's `sendAll`):
 * each set gets the batch after its own `alert_relabel_configs` (a set left with no alerts, or with
 * no Alertmanagers, is skipped), and each request is bounded by its set's `timeout`. Every attempt
 * counts in `sent_total` and `latency_seconds`, every failure in `errors_total` (both per
 * Alertmanager). Resolves true when every set that was attempted reached at least one of its
 * Alertmanagers; never rejects.
 */
export async function sendBatch(alerts: readonly Alert[], sets: readonly AlertmanagerSet[], ctx: SendContext): Promise<boolean> {
  if (alerts.length === 0) return true;
  const begin = performance.now();
  const attempts = sets.map(async (set) => {
    if (set.active.length === 0) return true;
    const forSet = set.alertRules.length > 0 ? relabelAlerts(set.alertRules, Labels.EMPTY, alerts) : alerts;
    if (forSet.length === 0) return true;
    const body = postableAlertsJson(forSet);
    const results = await Promise.all(
      set.active.map(async ({ url }) => {
        let ok = true;
        try {
          await post(set, url, body, ctx.userAgent);
        } catch (err) {
          ok = false;
          ctx.logger.error('Error sending alerts', { alertmanager: url, count: forSet.length, err: (err as Error).message });
          ctx.metrics.errors.labels(url).inc(forSet.length);
        }
        ctx.metrics.observeLatency(url, (performance.now() - begin) / 1000);
        ctx.metrics.sent.labels(url).inc(forSet.length);
        return ok;
      }),
    );
    return results.includes(true);
  });
  return (await Promise.all(attempts)).every(Boolean);
}

/** One POST; rejects with {@link NotifierError} `send_failed` on a network error, the set's timeout or a non-2xx status. */
async function post(set: AlertmanagerSet, url: string, body: string, userAgent: string): Promise<void> {
  const timeoutMs = set.config.timeout;
  const signal = AbortSignal.timeout(timeoutMs);
  let status: number;
  try {
    const res = await set.client.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': userAgent }, body, signal });
    status = res.statusCode;
    await res.body.dump();
  } catch (err) {
    const reason = signal.aborted ? `context deadline exceeded (timeout ${timeoutMs / 1000}s)` : (err as Error).message;
    throw new NotifierError('send_failed', `Post "${url}": ${reason}`, { cause: err });
  }
  if (status < 200 || status > 299) throw new NotifierError('send_failed', `bad response status ${status}`);
}
