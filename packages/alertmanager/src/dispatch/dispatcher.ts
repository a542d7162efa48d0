import type { Labels } from '@pyrometer/model';
import type { Logger } from '@pyrometer/telemetry';
import { compareForNotification, compareLabelSets, type Alert } from '../alerts/alert.js';
import type { Marker } from '../alerts/marker.js';
import type { AlertProvider } from '../alerts/provider.js';
import type { Clock, Timer } from '../clock.js';
import { AlertmanagerError } from '../errors.js';
import type { Stage } from '../notify/stages.js';
import { AggregationGroup, groupKeyOf, type GroupTimerState } from './aggregation-group.js';
import type { Route } from './route.js';

/** One aggregation group as the API's `/alerts/groups` shows it. */
export interface AlertGroupView {
  readonly labels: Labels;
  readonly receiver: string;
  readonly groupKey: string;
  readonly routeId: string;
  readonly alerts: readonly Alert[];
}

export interface DispatcherOptions {
  provider: AlertProvider;
  route: Route;
  pipeline: Stage;
  marker: Marker;
  clock: Clock;
  logger: Logger;
  /** Flush timeout for a group interval (see `GroupDeps.timeout`). */
  timeout: (groupIntervalMs: number) => number;
  /** Timer states of groups from before a restart or reload, by {@link groupStateKey}; a group that comes back resumes its timer. */
  restoredTimers?: ReadonlyMap<string, GroupTimerState>;
  /** Told of every alert routed and of the group count (the dispatcher metrics). */
  observe?: { processed(seconds: number): void; groups(count: number): void };
}

/** Whether a flush failed only because other replicas are sending its notifications (not worth an error). */
function onlyClaimedElsewhere(err: unknown): boolean {
  const errors = err instanceof AggregateError ? (err.errors as unknown[]) : [err];
  return errors.every((e) => e instanceof AlertmanagerError && e.code === 'claimed');
}

/** Identifies a group across restarts: its route's id and its group key. */
export const groupStateKey = (routeId: string, groupKey: string) => `${routeId}\u0000${groupKey}`;

/**
 * Routes every alert of the store to its aggregation groups and runs their timers
 * (`dispatch.Dispatcher`). Empty groups are removed every 30 s. A config reload stops this
 * dispatcher and starts a new one over the same store; the notification log keeps the new groups
 * from notifying again what was already sent.
 */
export class Dispatcher {
  private readonly groups = new Map<Route, Map<string, AggregationGroup>>();
  private count = 0;
  private unsubscribe: (() => void) | undefined;
  private maintenance: Timer | undefined;
  /** Timer states still to hand to the groups they belong to; each is used once. */
  private readonly restored: Map<string, GroupTimerState>;

  constructor(private readonly o: DispatcherOptions) {
    this.restored = new Map(o.restoredTimers ?? []);
  }

  start(): void {
    this.unsubscribe = this.o.provider.subscribe((alert) => this.route(alert));
    this.scheduleMaintenance();
  }

  /** Stops routing and every group; flushes in progress get `graceMs` to finish first (see `AggregationGroup.stop`). */
  async stop(graceMs = 0): Promise<void> {
    this.unsubscribe?.();
    this.maintenance?.cancel();
    const all = [...this.groups.values()].flatMap((m) => [...m.values()]);
    this.groups.clear();
    this.count = 0;
    this.o.observe?.groups(0);
    await Promise.all(all.map((g) => g.stop(graceMs)));
  }

  /** Every group's timer state, to be restored after a restart. */
  timerStates(): Map<string, GroupTimerState> {
    const out = new Map<string, GroupTimerState>();
    for (const groups of this.groups.values()) for (const g of groups.values()) out.set(groupStateKey(g.routeId, g.groupKey), g.timerState);
    return out;
  }

  /**
   * The groups whose route passes `routeFilter`, with the alerts that pass `alertFilter` (groups
   * left empty are omitted), sorted by labels then receiver, and for each alert the receivers of
   * the groups it appears in (sorted).
   */
  alertGroups(routeFilter: (r: Route) => boolean, alertFilter: (a: Alert) => boolean): { groups: AlertGroupView[]; receivers: Map<string, string[]> } {
    const groups: AlertGroupView[] = [];
    const receivers = new Map<string, string[]>();
    for (const [route, byLabels] of this.groups) {
      if (!routeFilter(route)) continue;
      for (const g of byLabels.values()) {
        const alerts = g.list().filter(alertFilter);
        if (alerts.length === 0) continue;
        for (const a of alerts) receivers.set(a.fingerprint, [...(receivers.get(a.fingerprint) ?? []), route.opts.receiver]);
        groups.push({ labels: g.labels, receiver: route.opts.receiver, groupKey: g.groupKey, routeId: g.routeId, alerts: alerts.sort(compareForNotification) });
      }
    }
    groups.sort((a, b) => (a.labels.equals(b.labels) ? (a.receiver < b.receiver ? -1 : a.receiver > b.receiver ? 1 : 0) : compareLabelSets(a.labels, b.labels)));
    for (const list of receivers.values()) list.sort();
    return { groups, receivers };
  }

  private route(alert: Alert): void {
    const started = performance.now();
    for (const r of this.o.route.match(alert.labels)) this.process(alert, r);
    this.o.observe?.processed((performance.now() - started) / 1000);
  }

  private process(alert: Alert, route: Route): void {
    const labels = route.groupLabels(alert.labels);
    let byLabels = this.groups.get(route);
    if (byLabels === undefined) this.groups.set(route, (byLabels = new Map()));
    const key = labels.key();
    let group = byLabels.get(key);
    if (group === undefined) {
      const stateKey = groupStateKey(route.id(), groupKeyOf(route, labels));
      const restored = this.restored.get(stateKey);
      this.restored.delete(stateKey);
      group = new AggregationGroup(labels, route, { clock: this.o.clock, logger: this.o.logger, timeout: this.o.timeout, flush: (ctx, alerts) => this.flush(ctx, alerts) }, restored);
      byLabels.set(key, group);
      this.count++;
      this.o.observe?.groups(this.count);
    }
    group.insert(alert);
  }

  private async flush(ctx: Parameters<Stage['exec']>[0], alerts: readonly Alert[]): Promise<boolean> {
    try {
      await this.o.pipeline.exec(ctx, alerts);
      return true;
    } catch (err) {
      const quiet = (ctx.signal.aborted && !(ctx.signal.reason instanceof DOMException)) || onlyClaimedElsewhere(err);
      const log = quiet ? this.o.logger.debug.bind(this.o.logger) : this.o.logger.error.bind(this.o.logger);
      log('notify for alerts failed', { num_alerts: alerts.length, err: (err as Error).message });
      return false;
    }
  }

  private scheduleMaintenance(): void {
    this.maintenance = this.o.clock.setTimer(() => {
      for (const byLabels of this.groups.values()) {
        for (const [key, g] of byLabels) {
          if (!g.empty()) continue;
          void g.stop();
          this.o.marker.deleteGroup(g.routeId, g.groupKey);
          byLabels.delete(key);
          this.count--;
        }
      }
      this.o.observe?.groups(this.count);
      this.scheduleMaintenance();
    }, 30_000);
  }
}
