import type { Labels } from '@pyrometer/model';
import type { Logger } from '@pyrometer/telemetry';
import { alertWith, compareForNotification, resolvedAt, type Alert } from '../alerts/alert.js';
import type { Clock, Timer } from '../clock.js';
import type { NotifyContext } from '../notify/context.js';
import { fromMillis, ZERO_TIME } from '../time/instant.js';
import { labelSetString } from './group-key.js';
import type { Route } from './route.js';

/** `routeKey:{labels}`, e.g. `{}/{team="a"}:{alertname="X"}`: the group key webhooks and the log see. */
export function groupKeyOf(route: Route, labels: Labels): string {
  return `${route.key()}:${labelSetString(labels)}`;
}

/** Sends a flush's alerts down the pipeline; true when every integration succeeded. */
export type FlushFunc = (ctx: NotifyContext, alerts: readonly Alert[]) => Promise<boolean>;

/** A group's timer state, kept across restarts so a group resumes its cadence. */
export interface GroupTimerState {
  readonly hasFlushed: boolean;
  /** When the next flush is due, ms since the epoch. */
  readonly nextFlushAt: number;
}

export interface GroupDeps {
  clock: Clock;
  flush: FlushFunc;
  /** How long one flush may take for a group interval (upstream: max(interval, 10 s) + cluster wait). */
  timeout: (groupIntervalMs: number) => number;
  logger: Logger;
}

/**
 * The alerts of one route with equal group labels, notified together (`dispatch.aggrGroup`).
 * The first flush comes `group_wait` after creation (at once if the first alert is older than
 * that), then one every `group_interval`; each flush sends every alert of the group, firing ones
 * with `endsAt` cleared, and forgets resolved alerts once they were notified. Flushes never
 * overlap: a tick during a slow flush runs right after it.
 */
export class AggregationGroup {
  readonly groupKey: string;
  readonly routeId: string;
  private readonly alerts = new Map<string, Alert>();
  private timer: Timer | undefined;
  private nextFlushAt: number;
  private hasFlushed: boolean;
  private running: Promise<void> | undefined;
  private tickPending = false;
  private stopping = false;
  /** Set once the group is stopped for good: no flush starts after it. */
  private halted = false;
  /** The flush in progress, aborted by a timeout or by {@link stop}. */
  private flushAbort: AbortController | undefined;

  constructor(readonly labels: Labels, readonly route: Route, private readonly deps: GroupDeps, restored?: GroupTimerState) {
    this.groupKey = groupKeyOf(route, labels);
    this.routeId = route.id();
    this.hasFlushed = restored?.hasFlushed ?? false;
    this.nextFlushAt = restored?.nextFlushAt ?? deps.clock.now() + route.opts.groupWait;
    this.schedule(this.nextFlushAt);
  }

  get timerState(): GroupTimerState {
    return { hasFlushed: this.hasFlushed, nextFlushAt: this.nextFlushAt };
  }

  insert(alert: Alert): void {
    this.alerts.set(alert.fingerprint, alert);
    const now = this.deps.clock.now();
    if (!this.hasFlushed && alert.startsAt + fromMillis(this.route.opts.groupWait) < fromMillis(now)) this.schedule(now);
  }

  empty(): boolean {
    return this.alerts.size === 0;
  }

  list(): Alert[] {
    return [...this.alerts.values()];
  }

  /**
   * Cancels the timer; a flush in progress gets `graceMs` to finish (so a notification already on
   * its way is logged and not sent again later), then is aborted. Resolves when it has stopped.
   */
  async stop(graceMs = 0): Promise<void> {
    this.stopping = true;
    this.timer?.cancel();
    if (this.running !== undefined && graceMs > 0) {
      let grace: Timer | undefined;
      await Promise.race([this.running, new Promise<void>((resolve) => (grace = this.deps.clock.setTimer(resolve, graceMs)))]);
      grace?.cancel();
    }
    this.halted = true;
    this.flushAbort?.abort(new Error('aggregation group stopped'));
    await this.running;
  }

  private schedule(at: number): void {
    this.timer?.cancel();
    this.nextFlushAt = at;
    this.timer = this.deps.clock.setTimer(() => this.tick(), at - this.deps.clock.now());
  }

  private tick(): void {
    if (this.halted || this.stopping) return;
    const now = this.deps.clock.now();
    this.schedule(now + this.route.opts.groupInterval);
    this.hasFlushed = true;
    if (this.running !== undefined) {
      this.tickPending = true;
      return;
    }
    this.running = this.flushLoop(now);
  }

  private async flushLoop(at: number): Promise<void> {
    let now = at;
    for (;;) {
      try {
        await this.flush(now);
      } catch (err) {
        this.deps.logger.error('flush failed', { aggrGroup: this.groupKey, err: (err as Error).message });
      }
      if (!this.tickPending || this.halted) break;
      this.tickPending = false;
      now = this.deps.clock.now();
    }
    this.running = undefined;
  }

  private async flush(nowMs: number): Promise<void> {
    if (this.empty()) return;
    const now = fromMillis(nowMs);
    const snapshot = this.list();
    const resolved = snapshot.filter((a) => resolvedAt(a, now));
    const alerts = snapshot.map((a) => (resolvedAt(a, now) ? a : alertWith(a, { endsAt: ZERO_TIME }))).sort(compareForNotification);
    const opts = this.route.opts;
    // One controller per flush for both ends (timeout, stop): cheaper than AbortSignal.any per flush.
    const abort = new AbortController();
    this.flushAbort = abort;
    const timer = this.deps.clock.setTimer(() => abort.abort(new DOMException('flush timed out', 'TimeoutError')), this.deps.timeout(opts.groupInterval));
    const ctx: NotifyContext = {
      groupKey: this.groupKey,
      groupLabels: this.labels,
      receiver: opts.receiver,
      routeId: this.routeId,
      repeatIntervalMs: opts.repeatInterval,
      muteTimeIntervals: opts.muteTimeIntervals,
      activeTimeIntervals: opts.activeTimeIntervals,
      now: nowMs,
      signal: abort.signal,
    };
    try {
      if (await this.deps.flush(ctx, alerts)) {
        for (const a of resolved) if (this.alerts.get(a.fingerprint)?.updatedAt === a.updatedAt) this.alerts.delete(a.fingerprint);
      }
    } finally {
      timer.cancel();
      this.flushAbort = undefined;
    }
  }
}
