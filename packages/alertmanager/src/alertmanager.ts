import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Labels } from '@pyrometer/model';
import type { NotificationTemplates } from '@pyrometer/template';
import { loadNotificationTemplates } from '@pyrometer/template/node';
import type { Logger, MetricsRegistry } from '@pyrometer/telemetry';
import { resolvedAt } from './alerts/alert.js';
import { Marker, type AlertState } from './alerts/marker.js';
import { MemoryAlertProvider } from './alerts/memory-provider.js';
import type { AlertProvider } from './alerts/provider.js';
import { AlertsFile } from './alerts/snapshot.js';
import type { Clock, Timer } from './clock.js';
import type { LoadedConfig } from './config/load.js';
import type { GroupTimerState } from './dispatch/aggregation-group.js';
import { Dispatcher } from './dispatch/dispatcher.js';
import type { GroupTimerStore } from './dispatch/group-timer-store.js';
import { Route } from './dispatch/route.js';
import { AlertmanagerError } from './errors.js';
import { Inhibitor } from './inhibit/inhibitor.js';
import { registerLabelledGauges, Summary } from './metrics.js';
import { nflogEntryCodec } from './nflog/codec.js';
import type { StoredEntry } from './nflog/entry.js';
import { NotificationLog } from './nflog/nflog.js';
import { NotifyMetrics } from './notify/metrics.js';
import type { Integration, IntegrationRegistry } from './notify/notifier.js';
import { buildPipeline } from './notify/pipeline.js';
import { templateDataBuilder } from './notify/template-data.js';
import { silenceCodec } from './silences/codec.js';
import type { SilenceState, StoredSilence } from './silences/silence.js';
import { Silencer } from './silences/silencer.js';
import { Silences, type SilenceLimits } from './silences/silences.js';
import { FileStateStore, MemoryStateStore } from './state/file-store.js';
import type { StateStore } from './state/state-store.js';
import { fromMillis } from './time/instant.js';
import type { TimeInterval } from './time/time-interval.js';

export interface AlertmanagerOptions {
  /** Folder of the `silences`, `nflog` (upstream's formats) and `alerts.json` files; undefined keeps state in memory. */
  storagePath: string | undefined;
  /** `--data.retention`: how long silences and log entries are kept after they end, ms. */
  retentionMs: number;
  /** `--data.maintenance-interval`: garbage collection of silences and the log, ms. */
  maintenanceIntervalMs: number;
  /** `--alerts.gc-interval`: deletion of resolved alerts, ms. */
  alertGcIntervalMs: number;
  /** How often the alerts file is rewritten, ms. */
  alertsSnapshotIntervalMs: number;
  silenceLimits: SilenceLimits;
  /** `--web.external-url`, as templates and payloads show it. */
  externalUrl: string;
  /** Reported in `User-Agent: Alertmanager/<version>`. */
  version: string;
  clock: Clock;
  logger: Logger;
  registry: MetricsRegistry;
  integrations: IntegrationRegistry;
  /** Jitter of retry backoff. */
  random: () => number;
  /**
   * Seams for state shared between replicas (see `redisStateOptions`); defaults keep it in this
   * process and `storagePath`. With an `alertProvider`, the alerts file is not used and the
   * groups' timers go to `groupTimers` (if given).
   */
  alertProvider?: AlertProvider;
  silenceStore?: StateStore<StoredSilence>;
  nflogStore?: StateStore<StoredEntry>;
  groupTimers?: GroupTimerStore;
  /** Delay before each integration's turn (replicas notify one after another); default 0. */
  wait?: () => number;
}

/** What one loaded config runs: the routing tree and what hangs off it. */
interface Running {
  readonly loaded: LoadedConfig;
  readonly route: Route;
  readonly dispatcher: Dispatcher;
  readonly inhibitor: Inhibitor;
  readonly silencer: Silencer;
  readonly integrations: readonly Integration[];
}

/** How long notifications in flight may take to finish when the pipeline stops (reload, shutdown). */
const STOP_GRACE_MS = 5_000;

const STATES: AlertState[] = ['active', 'suppressed', 'unprocessed'];
const SILENCE_STATES: SilenceState[] = ['active', 'pending', 'expired'];

/**
 * An Alertmanager without its HTTP server: the alert store, silences, notification log and the
 * pipeline of the current config. `applyConfig` swaps in a new config atomically: everything for
 * it is built first, and if anything fails the running config stays as it was. The API reads
 * `config`, `route`, `dispatcher` and the stores; `status` brings an alert's marks up to date.
 */
export class Alertmanager {
  readonly marker = new Marker();
  private running: Running | undefined;
  private readonly timers: Timer[] = [];
  private readonly notifyMetrics: NotifyMetrics;
  private readonly dispatchMetrics: { groups: number; processing: Summary };
  private readonly configMetrics;
  private restoredTimers: Map<string, GroupTimerState>;
  private stopped = false;
  /** Alerts stored since start, and how many of them the alerts file has seen. */
  private alertChanges = 0;
  private savedAlertChanges = -1;

  private constructor(
    private readonly o: AlertmanagerOptions,
    readonly provider: AlertProvider,
    readonly silences: Silences,
    readonly nflog: NotificationLog,
    restoredTimers: Map<string, GroupTimerState>,
    private readonly alertsFile: AlertsFile | undefined,
  ) {
    this.restoredTimers = restoredTimers;
    provider.subscribe(() => this.alertChanges++);
    const r = o.registry;
    this.notifyMetrics = new NotifyMetrics(r);
    this.dispatchMetrics = { groups: 0, processing: new Summary(r, 'alertmanager_dispatcher_alert_processing_duration_seconds', 'Summary of latencies for the processing of alerts.') };
    r.gaugeFunc({ name: 'alertmanager_dispatcher_aggregation_groups', help: 'Number of active aggregation groups' }, () => this.dispatchMetrics.groups);
    registerLabelledGauges(r, 'alertmanager_alerts', 'How many alerts by state.', 'state', STATES, (s) => this.countAlerts(s as AlertState));
    registerLabelledGauges(r, 'alertmanager_marked_alerts', 'How many alerts by state are currently marked in the Alertmanager regardless of their expiry.', 'state', STATES, (s) => this.marker.count(s as AlertState));
    registerLabelledGauges(r, 'alertmanager_silences', 'How many silences by state.', 'state', SILENCE_STATES, (s) => silences.countState(s as SilenceState));
    this.configMetrics = {
      hash: r.gauge({ name: 'alertmanager_config_hash', help: 'Hash of the currently loaded alertmanager configuration. Note that this is not a cryptographically strong hash.' }),
      success: r.gauge({ name: 'alertmanager_config_last_reload_successful', help: 'Whether the last configuration reload attempt was successful.' }),
      successTime: r.gauge({ name: 'alertmanager_config_last_reload_success_timestamp_seconds', help: 'Timestamp of the last successful configuration reload.' }),
      receivers: r.gauge({ name: 'alertmanager_receivers', help: 'Number of configured receivers.' }),
      integrations: r.gauge({ name: 'alertmanager_integrations', help: 'Number of configured integrations.' }),
      inhibitionRules: r.gauge({ name: 'alertmanager_inhibition_rules', help: 'Number of configured inhibition rules.' }),
    };
  }

  /** Opens the stores (restoring silences, the log and, beyond upstream, alerts) and applies the config. */
  static async start(loaded: LoadedConfig, o: AlertmanagerOptions): Promise<Alertmanager> {
    const path = (name: string) => (o.storagePath === undefined ? undefined : join(o.storagePath, name));
    const now = () => fromMillis(o.clock.now());
    const silencesPath = path('silences');
    const nflogPath = path('nflog');
    const silences = await Silences.open({
      store: o.silenceStore ?? (silencesPath ? new FileStateStore(silencesPath, silenceCodec) : new MemoryStateStore()),
      clock: o.clock,
      retentionMs: o.retentionMs,
      limits: o.silenceLimits,
      isValidLabelName: loaded.parser.isValidLabelName,
    });
    const nflog = await NotificationLog.open({ store: o.nflogStore ?? (nflogPath ? new FileStateStore(nflogPath, nflogEntryCodec) : new MemoryStateStore()), clock: o.clock, retentionMs: o.retentionMs });
    const alertsPath = o.alertProvider === undefined ? path('alerts.json') : undefined;
    const alertsFile = alertsPath === undefined ? undefined : new AlertsFile(alertsPath);
    const snapshot = alertsFile !== undefined ? await alertsFile.load() : { alerts: [], groups: (await o.groupTimers?.load()) ?? new Map<string, GroupTimerState>() };
    const provider = o.alertProvider ?? new MemoryAlertProvider(now, snapshot.alerts);
    const am = new Alertmanager(o, provider, silences, nflog, snapshot.groups, alertsFile);
    await am.applyConfig(loaded);
    am.every(o.maintenanceIntervalMs, () => am.maintenance());
    am.every(o.alertGcIntervalMs, () => am.collectAlerts());
    am.every(o.alertsSnapshotIntervalMs, () => am.saveAlertState(am.current.dispatcher.timerStates()));
    return am;
  }

  get config(): LoadedConfig {
    return this.current.loaded;
  }

  get route(): Route {
    return this.current.route;
  }

  get dispatcher(): Dispatcher {
    return this.current.dispatcher;
  }

  /** Re-evaluates inhibition and silences for the labels, updating the marker (the API does so before reporting status). */
  refreshStatus(labels: Labels): void {
    this.current.inhibitor.mutes(labels);
    this.current.silencer.mutes(labels);
  }

  /**
   * Loads a config with `load` (e.g. from `--config.file`) and applies it; any failure, of the
   * load or of {@link applyConfig}, leaves the running config in place, sets
   * `alertmanager_config_last_reload_successful` to 0 and rejects.
   */
  async reload(load: () => Promise<LoadedConfig>): Promise<void> {
    let loaded: LoadedConfig;
    try {
      loaded = await load();
    } catch (err) {
      this.configMetrics.success.set(0);
      throw err;
    }
    await this.applyConfig(loaded);
  }

  /**
   * Builds everything a config needs, then replaces the running config. Throws (and changes
   * nothing) when a receiver cannot be built, e.g. one of an unsupported integration type.
   */
  async applyConfig(loaded: LoadedConfig): Promise<void> {
    try {
      const previous = this.running;
      // The new groups resume the timers of the groups they replace (upstream starts them anew).
      if (previous !== undefined) this.restoredTimers = previous.dispatcher.timerStates();
      const next = await this.build(loaded);
      if (previous !== undefined) {
        previous.inhibitor.stop();
        await previous.dispatcher.stop(STOP_GRACE_MS);
      }
      this.running = next;
      next.inhibitor.start(this.provider);
      next.dispatcher.start();
      await Promise.all((previous?.integrations ?? []).map((i) => i.notifier.close?.()));
      this.recordConfig(loaded, next);
    } catch (err) {
      this.configMetrics.success.set(0);
      throw err;
    }
  }

  /** Stops the pipeline, writes the final alerts file and closes the stores. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    const r = this.current;
    r.inhibitor.stop();
    const timers = r.dispatcher.timerStates();
    await r.dispatcher.stop(STOP_GRACE_MS);
    await this.saveAlertState(timers);
    await Promise.all(r.integrations.map((i) => i.notifier.close?.()));
    await Promise.all([this.silences.close(), this.nflog.close(), this.provider.close()]);
  }

  private get current(): Running {
    if (this.running === undefined) throw new AlertmanagerError('invalid_config', 'no configuration applied');
    return this.running;
  }

  private async build(loaded: LoadedConfig): Promise<Running> {
    const { config } = loaded;
    const o = this.o;
    const route = Route.build(config.route);
    const active = new Set<string>();
    route.walk((r) => active.add(r.opts.receiver));
    let templates: NotificationTemplates;
    try {
      templates = loadNotificationTemplates(config.templates, { now: () => o.clock.now() });
    } catch (err) {
      throw new AlertmanagerError('invalid_config', `failed to parse templates: ${(err as Error).message}`, { cause: err });
    }
    const deps = { templateData: templateDataBuilder(o.externalUrl), templates, logger: o.logger.with({ component: 'notify' }), clock: o.clock, userAgent: `Alertmanager/${o.version}` };
    const byReceiver = new Map<string, Integration[]>();
    const built: Integration[] = [];
    try {
      for (const rcv of config.receivers) {
        if (!active.has(rcv.name)) {
          o.logger.info('skipping creation of receiver not referenced by any route', { receiver: rcv.name });
          continue;
        }
        const integrations = await o.integrations.build(rcv, deps);
        built.push(...integrations);
        byReceiver.set(rcv.name, integrations);
      }
    } catch (err) {
      await Promise.all(built.map((i) => i.notifier.close?.()));
      throw err;
    }
    const intervals = new Map<string, readonly TimeInterval[]>();
    for (const ti of [...config.muteTimeIntervals, ...config.timeIntervals]) intervals.set(ti.name, ti.timeIntervals);
    const inhibitor = new Inhibitor(config.inhibitRules, this.marker, o.clock);
    const silencer = new Silencer(this.silences, this.marker, o.clock);
    const pipeline = buildPipeline({
      receivers: byReceiver,
      inhibitor,
      silencer,
      timeIntervals: intervals,
      marker: this.marker,
      nflog: this.nflog,
      metrics: this.notifyMetrics,
      clock: o.clock,
      logger: o.logger.with({ component: 'dispatcher' }),
      wait: o.wait ?? (() => 0),
      random: o.random,
    });
    const wait = o.wait ?? (() => 0);
    const dispatcher = new Dispatcher({
      provider: this.provider,
      route,
      pipeline,
      marker: this.marker,
      clock: o.clock,
      logger: o.logger.with({ component: 'dispatcher' }),
      timeout: (interval) => Math.max(interval, 10_000) + wait(),
      restoredTimers: this.restoredTimers,
      observe: { processed: (s) => this.dispatchMetrics.processing.observe(s), groups: (n) => (this.dispatchMetrics.groups = n) },
    });
    route.walk((r) => {
      if (r.opts.repeatInterval > o.retentionMs) o.logger.warn('repeat_interval is greater than the data retention period. It can lead to notifications being repeated more often than expected.', { repeat_interval: r.opts.repeatInterval, retention: o.retentionMs, route: r.key() });
      if (r.opts.repeatInterval < r.opts.groupInterval) o.logger.warn('repeat_interval is less than group_interval. Notifications will not repeat until the next group_interval.', { repeat_interval: r.opts.repeatInterval, group_interval: r.opts.groupInterval, route: r.key() });
    });
    return { loaded, route, dispatcher, inhibitor, silencer, integrations: built };
  }

  private recordConfig(loaded: LoadedConfig, r: Running): void {
    const m = this.configMetrics;
    const active = new Set<string>();
    r.route.walk((route) => active.add(route.opts.receiver));
    m.receivers.set(active.size);
    m.integrations.set(r.integrations.length);
    m.inhibitionRules.set(loaded.config.inhibitRules.length);
    m.success.set(1);
    m.successTime.set(this.o.clock.now() / 1000);
    // Upstream's value: the first 48 bits of the MD5 of the config text, little-endian.
    const sum = createHash('md5').update(loaded.original).digest();
    m.hash.set(sum.readUIntLE(0, 6));
  }

  private countAlerts(state: AlertState): number {
    const now = fromMillis(this.o.clock.now());
    return this.provider.list().filter((a) => !resolvedAt(a, now) && this.marker.status(a.fingerprint).state === state).length;
  }

  /** Runs `task` every `ms` until stopped; a failure is logged and the next run still happens. */
  private every(ms: number, task: () => Promise<unknown>): void {
    const slot = this.timers.length;
    const run = () => {
      if (this.stopped) return;
      task().catch((err: unknown) => this.o.logger.error('background task failed', { err: (err as Error).message }));
      this.timers[slot] = this.o.clock.setTimer(run, ms);
    };
    this.timers.push(this.o.clock.setTimer(run, ms));
  }

  private async maintenance(): Promise<void> {
    const [silences, entries] = await Promise.all([this.silences.gc(), this.nflog.gc()]);
    this.o.logger.debug('maintenance done', { silences_deleted: silences, nflog_entries_deleted: entries });
  }

  private async collectAlerts(): Promise<void> {
    const deleted = await this.provider.gc(fromMillis(this.o.clock.now()));
    for (const a of deleted) this.marker.delete(a.fingerprint);
    this.current.inhibitor.gc();
  }

  /** Writes the groups' timers (and, alone, the alerts file) so a restart resumes them. */
  private async saveAlertState(groups: Map<string, GroupTimerState>): Promise<void> {
    if (this.alertsFile !== undefined) {
      const changes = this.alertChanges;
      await this.alertsFile.save({ alerts: this.provider.list(), groups }, { alertsChanged: changes !== this.savedAlertChanges, force: this.stopped });
      this.savedAlertChanges = changes;
    }
    else await this.o.groupTimers?.save(groups);
  }
}
