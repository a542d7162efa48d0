import type { Labels } from '@pyrometer/model';
import type { Logger } from '@pyrometer/telemetry';
import type { Alert } from '../alerts/alert.js';
import type { Marker } from '../alerts/marker.js';
import { activeIntervals, type TimeInterval } from '../time/time-interval.js';
import type { NotifyContext } from './context.js';
import type { NotifyMetrics, SuppressionReason } from './metrics.js';

/**
 * One step of the notification pipeline (`notify.Stage`): gets the alerts the previous step let
 * through and returns those to pass on (an empty list ends the flush quietly). Rejecting fails
 * the flush; the aggregation group then keeps its resolved alerts for the next attempt.
 */
export interface Stage {
  exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<readonly Alert[]>;
}

/** Runs stages in order until one passes nothing on. */
export class MultiStage implements Stage {
  constructor(private readonly stages: readonly Stage[]) {}

  async exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<readonly Alert[]> {
    let current = alerts;
    for (const s of this.stages) {
      if (current.length === 0) return [];
      current = await s.exec(ctx, current);
    }
    return current;
  }
}

/** Runs stages side by side on copies of the context (one per integration); fails if any fails. */
export class FanoutStage implements Stage {
  constructor(private readonly stages: readonly Stage[]) {}

  async exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<readonly Alert[]> {
    const results = await Promise.allSettled(this.stages.map((s) => s.exec({ ...ctx }, alerts)));
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
    if (errors.length > 0) throw new AggregateError(errors, errors.map((e) => e.message).join('; '));
    return alerts;
  }
}

/** Anything that can mute an alert by its labels (the silencer, the inhibitor); `fingerprint` is the labels' own, when known. */
export interface Muter {
  mutes(labels: Labels, fingerprint?: string): boolean;
}

/** Drops muted alerts and counts them (`alertmanager_notifications_suppressed_total`). */
export class MuteStage implements Stage {
  constructor(private readonly muter: Muter, private readonly reason: SuppressionReason, private readonly metrics: NotifyMetrics, private readonly logger: Logger) {}

  exec(_ctx: NotifyContext, alerts: readonly Alert[]): Promise<readonly Alert[]> {
    const kept = alerts.filter((a) => !this.muter.mutes(a.labels, a.fingerprint));
    const muted = alerts.length - kept.length;
    if (muted > 0) {
      this.metrics.suppressed.labels(this.reason).inc(muted);
      this.logger.debug('notifications will not be sent for muted alerts', { reason: this.reason, alerts: muted });
    }
    return Promise.resolve(kept);
  }
}

/**
 * `mute_time_intervals` (mute: while inside one) or `active_time_intervals` (mute: while outside
 * all) of the route, evaluated at the flush time; the group's muted state goes to the marker.
 */
export class TimeIntervalStage implements Stage {
  constructor(
    private readonly kind: 'mute' | 'active',
    private readonly intervals: ReadonlyMap<string, readonly TimeInterval[]>,
    private readonly marker: Marker,
    private readonly metrics: NotifyMetrics,
    private readonly logger: Logger,
  ) {}

  exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<readonly Alert[]> {
    const names = this.kind === 'mute' ? ctx.muteTimeIntervals : ctx.activeTimeIntervals;
    if (names.length === 0) return Promise.resolve(alerts);
    const inside = activeIntervals(this.intervals, names, ctx.now);
    const mutedBy = this.kind === 'mute' ? inside : inside.length > 0 ? [] : [...names];
    this.marker.setMuted(ctx.routeId, ctx.groupKey, mutedBy);
    if (mutedBy.length === 0) return Promise.resolve(alerts);
    this.metrics.suppressed.labels(this.kind === 'mute' ? 'mute_time_interval' : 'active_time_interval').inc(alerts.length);
    this.logger.debug(this.kind === 'mute' ? 'notifications not sent, route is within mute time' : 'notifications not sent, route is not within active time', { alerts: alerts.length });
    return Promise.resolve([]);
  }
}
