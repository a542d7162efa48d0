import type { Logger } from '@pyrometer/telemetry';
import { resolvedAt, type Alert } from '../alerts/alert.js';
import { sleep, type Clock } from '../clock.js';
import { AlertmanagerError } from '../errors.js';
import { alertHash } from '../labels/xxhash.js';
import type { NflogEntry, NflogReceiver } from '../nflog/entry.js';
import type { NotificationLog } from '../nflog/nflog.js';
import { fromMillis } from '../time/instant.js';
import type { NotifyContext } from './context.js';
import type { NotifyMetrics } from './metrics.js';
import type { Integration } from './notifier.js';
import type { Stage } from './stages.js';

const subset = (small: ReadonlySet<bigint>, big: readonly bigint[]) => {
  const b = new Set(big);
  for (const x of small) if (!b.has(x)) return false;
  return true;
};

/**
 * Decides from the notification log whether this integration must be notified now
 * (`notify.DedupStage`): always for new firing alerts; once when everything resolved after a
 * firing notification; for newly resolved alerts if the integration sends resolved ones; else
 * only after `repeat_interval`. When a notification is due it claims it (`ctx.claim`), so that
 * replicas sharing the log send it once; passes nothing on when none is due, and fails the
 * flush with `claimed` while another replica holds the claim (the group then keeps its
 * resolved alerts and tries again at its next tick).
 */
export class DedupStage implements Stage {
  constructor(private readonly integration: Integration, private readonly nflog: NotificationLog, private readonly receiver: NflogReceiver, private readonly clock: Clock) {}

  async exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<readonly Alert[]> {
    const now = fromMillis(this.clock.now());
    const firing: bigint[] = [];
    const resolved: bigint[] = [];
    for (const a of alerts) (resolvedAt(a, now) ? resolved : firing).push(alertHash(a.labels));
    ctx.firing = firing;
    ctx.resolved = resolved;
    const [firingSet, resolvedSet] = [new Set(firing), new Set(resolved)];
    const result = await this.nflog.claim(ctx.groupKey, this.receiver, (entry) => this.needsUpdate(entry, firingSet, resolvedSet, ctx.repeatIntervalMs, now));
    if (result.status === 'not-due') return [];
    if (result.status === 'held') throw new AlertmanagerError('claimed', `${integrationLabel(this.integration)}: another replica (${result.holder}) holds the claim to send this notification`);
    ctx.claim = result.claim;
    return alerts;
  }

  private needsUpdate(entry: NflogEntry | undefined, firing: ReadonlySet<bigint>, resolved: ReadonlySet<bigint>, repeatMs: number, now: bigint): boolean {
    if (entry === undefined) return firing.size > 0;
    if (!subset(firing, entry.firingAlerts)) return true;
    if (firing.size === 0) return entry.firingAlerts.length > 0;
    if (this.integration.sendResolved && !subset(resolved, entry.resolvedAlerts)) return true;
    return entry.timestamp < now - fromMillis(repeatMs);
  }
}

/** `receiver/type[index]`, as upstream names an integration in messages. */
const integrationLabel = (i: Integration) => `${i.receiverName}/${i.type}[${i.index}]`;

/**
 * Runs the send (the retry stage) under the claim the dedup stage took: a lost claim stops the
 * retries (another replica may be sending by now), and a failed send releases the claim so the
 * next flush of any replica can try.
 */
export class HoldClaimStage implements Stage {
  constructor(private readonly send: Stage) {}

  async exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<readonly Alert[]> {
    const claim = ctx.claim;
    if (claim === undefined) throw new Error('HoldClaimStage runs after a dedup stage that claimed the notification');
    try {
      return await this.send.exec({ ...ctx, signal: AbortSignal.any([ctx.signal, claim.lost]) }, alerts);
    } catch (err) {
      await claim.release();
      throw err;
    }
  }
}

/** cenkalti/backoff's defaults, which upstream's retries use: 0.5 s growing ×1.5 up to 60 s, ±50 % jitter. */
export class Backoff {
  private current = 500;

  constructor(private readonly random: () => number) {}

  next(): number {
    const delta = 0.5 * this.current;
    const min = this.current - delta;
    const value = min + this.random() * (this.current + delta - min + 1);
    this.current = Math.min(this.current * 1.5, 60_000);
    return value;
  }
}

/**
 * Sends through the integration, retrying failures the notifier calls retryable with
 * exponential backoff until the flush is aborted (`notify.RetryStage`). Integrations that do not
 * send resolved alerts get only the firing ones, and nothing at all when none is firing.
 */
export class RetryStage implements Stage {
  private readonly label: string;

  constructor(
    private readonly integration: Integration,
    private readonly metrics: NotifyMetrics,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly random: () => number,
  ) {
    this.label = integrationLabel(integration);
  }

  async exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<readonly Alert[]> {
    const type = this.integration.type;
    this.metrics.notifications.labels(type).inc();
    try {
      return await this.attempt(ctx, alerts);
    } catch (err) {
      this.metrics.failed.labels(type, err instanceof AlertmanagerError ? err.reason : 'other').inc();
      throw err;
    }
  }

  private async attempt(ctx: NotifyContext, alerts: readonly Alert[]): Promise<readonly Alert[]> {
    let sent = alerts;
    if (!this.integration.sendResolved) {
      if ((ctx.firing ?? []).length === 0) return alerts;
      const now = fromMillis(this.clock.now());
      sent = alerts.filter((a) => !resolvedAt(a, now));
    }
    const type = this.integration.type;
    const backoff = new Backoff(this.random);
    const logger = this.logger.with({ receiver: this.integration.receiverName, integration: `${type}[${this.integration.index}]`, aggrGroup: ctx.groupKey });
    let lastError: AlertmanagerError | undefined;
    for (let attempt = 1; ; attempt++) {
      if (ctx.signal.aborted) throw this.canceled(ctx, attempt, lastError);
      const started = performance.now();
      try {
        this.metrics.requests.labels(type).inc();
        await this.integration.notifier.notify(ctx, sent);
        this.metrics.latency.labels(type).observe((performance.now() - started) / 1000);
        if (attempt > 1) logger.info('notify success', { attempts: attempt });
        else logger.debug('notify success', { attempts: attempt, alerts: alerts.length });
        return alerts;
      } catch (err) {
        this.metrics.latency.labels(type).observe((performance.now() - started) / 1000);
        this.metrics.requestsFailed.labels(type).inc();
        const e = err instanceof AlertmanagerError ? err : new AlertmanagerError('notify', (err as Error).message, { retryable: true, cause: err });
        if (!e.retryable) throw new AlertmanagerError('notify', `${this.label}: notify retry canceled due to unrecoverable error after ${attempt} attempts: ${e.message}`, { reason: e.reason, cause: e });
        if (!ctx.signal.aborted && lastError?.message !== e.message) logger.warn('notify attempt failed, will retry later', { attempts: attempt, err: e.message });
        lastError = e;
      }
      try {
        await sleep(this.clock, backoff.next(), ctx.signal);
      } catch {
        throw this.canceled(ctx, attempt, lastError);
      }
    }
  }

  private canceled(ctx: NotifyContext, attempts: number, last: AlertmanagerError | undefined): AlertmanagerError {
    const timedOut = ctx.signal.reason instanceof Error && ctx.signal.reason.name === 'TimeoutError';
    const reason = last?.reason ?? (timedOut ? 'contextDeadlineExceeded' : 'contextCanceled');
    const why = last?.message ?? (timedOut ? 'context deadline exceeded' : 'context canceled');
    return new AlertmanagerError('notify', `${this.label}: notify retry canceled after ${attempts} attempts: ${why}`, { reason });
  }
}

/**
 * Records a successful notification in the log through the claim, kept for twice the repeat
 * interval (`notify.SetNotifiesStage`).
 */
export class SetNotifiesStage implements Stage {
  constructor(private readonly logger: Logger) {}

  async exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<readonly Alert[]> {
    if (ctx.claim === undefined) throw new Error('SetNotifiesStage runs after a dedup stage that claimed the notification');
    const held = await ctx.claim.log(ctx.firing ?? [], ctx.resolved ?? [], 2 * ctx.repeatIntervalMs);
    if (!held) this.logger.warn('the claim lapsed while sending; another replica may have sent this notification too', { aggrGroup: ctx.groupKey });
    return alerts;
  }
}
