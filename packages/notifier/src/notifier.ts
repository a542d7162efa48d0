import { compileRelabelConfig, Labels, type RelabelConfig, type RelabelRule } from '@pyrometer/model';
import { MetricsRegistry, silentLogger, type Logger } from '@pyrometer/telemetry';
import type { Alert } from './alert.js';
import { AlertmanagerSet, type AlertmanagerSetConfig, type TargetGroup } from './alertmanager-set.js';
import { NotifierError } from './errors.js';
import { NotifierMetrics } from './metrics.js';
import { relabelAlerts } from './relabel-alerts.js';
import { sendBatch } from './send-batch.js';

/** Options of {@link Notifier}; upstream's flags in brackets. */
export interface NotifierOptions {
  /** Alerts held for sending; beyond it the oldest are dropped [--alertmanager.notification-queue-capacity]. */
  queueCapacity: number;
  /** Alerts per request [--alertmanager.notification-batch-size]. */
  batchSize: number;
  /** On `stop`, send what is queued instead of dropping it [--alertmanager.drain-notification-queue-on-shutdown]. */
  drainOnShutdown: boolean;
  /** The User-Agent of every request, e.g. `Prometheus/3.9.1`. */
  userAgent: string;
  logger: Logger;
  /** Where the `prometheus_notifications_*` metrics are registered. */
  registry: MetricsRegistry;
  /** Wall clock in ms (latency quantile window). */
  now: () => number;
}

/** Upstream's defaults: 10000 queued, batches of 256, drain on shutdown. */
export function defaultNotifierOptions(): NotifierOptions {
  return { queueCapacity: 10_000, batchSize: 256, drainOnShutdown: true, userAgent: 'Prometheus/3.9.1', logger: silentLogger(), registry: new MetricsRegistry(), now: Date.now };
}

/** The parts of a loaded prometheus.yml the notifier reads; `@pyrometer/config`'s `Config` satisfies it. */
export interface NotifierConfig {
  global: { externalLabels: Readonly<Record<string, string>>; metricNameValidationScheme?: string };
  alerting: { alertRelabelConfigs: RelabelConfig[]; alertmanagers: AlertmanagerSetConfig[] };
}

/** The key of the `index`-th `alerting.alertmanagers` entry, under which its target groups are fed (upstream's `config-<i>`). */
export function alertmanagerSetName(index: number): string {
  return `config-${index}`;
}

interface AlertingState {
  externalLabels: Labels;
  alertRules: readonly RelabelRule[];
  sets: Map<string, AlertmanagerSet>;
}

/**
 * Upstream's notifier manager. `send` adds external labels, applies `alert_relabel_configs` and
 * queues the alerts (dropping the oldest beyond the capacity, counted in
 * `prometheus_notifications_dropped_total`); one batch at a time is posted to every active
 * Alertmanager of every set concurrently, each set after its own `alert_relabel_configs`. A batch
 * that reached no Alertmanager of some set it was meant for counts as dropped; there is no retry
 * (rules resend). The Alertmanagers of each set come from `setTargetGroups`, fed by service
 * discovery. `applyConfig` swaps the configuration atomically (a bad one is rejected whole and the
 * old one stays); `stop` drains or drops the queue and closes connections. Calls never throw for
 * bad alerts or unreachable Alertmanagers: those are logged and counted.
 */
export class Notifier {
  private readonly opts: NotifierOptions;
  private readonly metrics: NotifierMetrics;
  private state: AlertingState = { externalLabels: Labels.EMPTY, alertRules: [], sets: new Map() };
  private queue: Alert[] = [];
  private sending: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;

  constructor(options: Partial<NotifierOptions> = {}) {
    this.opts = { ...defaultNotifierOptions(), ...options };
    if (!(this.opts.queueCapacity > 0) || !(this.opts.batchSize > 0)) throw new NotifierError('invalid_config', `queue capacity and batch size must be positive, got ${this.opts.queueCapacity} and ${this.opts.batchSize}`);
    this.metrics = new NotifierMetrics(this.opts.registry, this.opts.queueCapacity, () => this.queue.length, () => this.alertmanagers().length, this.opts.now);
  }

  /**
   * Applies a loaded configuration. Sets whose configuration is unchanged keep their discovered
   * Alertmanagers until new target groups arrive. Rejects with {@link NotifierError}
   * `invalid_config` (and changes nothing) when a relabel rule or an HTTP client cannot be built.
   */
  async applyConfig(config: NotifierConfig): Promise<void> {
    const legacy = config.global.metricNameValidationScheme === 'legacy';
    const alertRules = config.alerting.alertRelabelConfigs.map((c, i) => {
      try {
        return compileRelabelConfig(c, { legacy });
      } catch (err) {
        throw new NotifierError('invalid_config', `alert_relabel_configs[${i}]: ${(err as Error).message}`, { cause: err });
      }
    });
    const sets = new Map<string, AlertmanagerSet>();
    try {
      for (const [i, c] of config.alerting.alertmanagers.entries()) sets.set(alertmanagerSetName(i), await AlertmanagerSet.create(`alertmanagers[${i}]`, c, legacy));
    } catch (err) {
      await Promise.all([...sets.values()].map((s) => s.client.close()));
      throw err;
    }
    const previous = new Map([...this.state.sets.values()].map((s) => [s.fingerprint, s]));
    for (const set of sets.values()) {
      const old = previous.get(set.fingerprint);
      if (old === undefined) continue;
      set.active = old.active;
      set.dropped = old.dropped;
    }
    const before = this.state;
    const urlsBefore = this.alertmanagers();
    this.state = { externalLabels: Labels.from(config.global.externalLabels), alertRules, sets };
    this.updateTracked(urlsBefore);
    // In-flight requests finish first: undici's close waits for them.
    void Promise.all([...before.sets.values()].map((s) => s.client.close()));
  }

  /** The current target groups of set `name` (see {@link alertmanagerSetName}); unknown names are logged and ignored. */
  setTargetGroups(name: string, groups: readonly TargetGroup[]): void {
    const set = this.state.sets.get(name);
    if (set === undefined) {
      this.opts.logger.error("couldn't sync alert manager set", { err: `invalid id:${name}` });
      return;
    }
    const urlsBefore = this.alertmanagers();
    set.sync(groups, (err) => this.opts.logger.error('Creating discovered Alertmanagers failed', { err: err.message }));
    this.updateTracked(urlsBefore);
  }

  /** Queues alerts for every Alertmanager; ignored once `stop` was called. */
  send(alerts: readonly Alert[]): void {
    if (this.stopping !== undefined) return;
    let incoming = relabelAlerts(this.state.alertRules, this.state.externalLabels, alerts);
    if (incoming.length === 0) return;
    const capacity = this.opts.queueCapacity;
    let dropped = 0;
    if (incoming.length > capacity) {
      const excess = incoming.length - capacity;
      this.opts.logger.warn('Alert batch larger than queue capacity, dropping alerts', { num_dropped: excess });
      dropped += excess;
      incoming = incoming.slice(excess);
    }
    const overflow = this.queue.length + incoming.length - capacity;
    if (overflow > 0) {
      this.queue.splice(0, overflow);
      dropped += overflow;
      this.opts.logger.warn('Alert notification queue full, dropping alerts', { num_dropped: overflow });
    }
    if (dropped > 0) this.metrics.dropped.inc(dropped);
    this.queue.push(...incoming);
    this.sending ??= this.sendQueued();
  }

  /** URLs of the active Alertmanagers, set by set (for `/api/v1/alertmanagers`). */
  alertmanagers(): string[] {
    return [...this.state.sets.values()].flatMap((s) => s.active.map((am) => am.url));
  }

  /** URLs of the Alertmanagers that relabeling dropped. */
  droppedAlertmanagers(): string[] {
    return [...this.state.sets.values()].flatMap((s) => s.dropped.map((am) => am.url));
  }

  /** Resolves when the queue is empty and no batch is in flight. */
  async idle(): Promise<void> {
    while (this.sending !== undefined) await this.sending;
  }

  /**
   * Stops accepting alerts; waits for the batch in flight, then sends the rest of the queue when
   * `drainOnShutdown` (else drops and counts it), and closes every connection. Idempotent.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.sending;
      if (this.opts.drainOnShutdown) {
        if (this.queue.length > 0) this.opts.logger.info('Draining any remaining notifications...');
        while (this.queue.length > 0) await this.sendNextBatch();
      } else if (this.queue.length > 0) {
        this.opts.logger.warn('Draining remaining notifications on shutdown is disabled, and some notifications have been dropped', { count: this.queue.length });
        this.metrics.dropped.inc(this.queue.length);
        this.queue = [];
      }
      await Promise.all([...this.state.sets.values()].map((s) => s.client.close()));
    })();
    return this.stopping;
  }

  private async sendQueued(): Promise<void> {
    try {
      while (this.queue.length > 0 && this.stopping === undefined) await this.sendNextBatch();
    } finally {
      this.sending = undefined;
    }
  }

  private async sendNextBatch(): Promise<void> {
    const batch = this.queue.splice(0, this.opts.batchSize);
    const delivered = await sendBatch(batch, [...this.state.sets.values()], { userAgent: this.opts.userAgent, logger: this.opts.logger, metrics: this.metrics });
    if (!delivered) this.metrics.dropped.inc(batch.length);
  }

  /** Starts per-Alertmanager series for new URLs and removes those of URLs no longer active. */
  private updateTracked(urlsBefore: readonly string[]): void {
    const now = new Set(this.alertmanagers());
    for (const url of now) this.metrics.track(url);
    for (const url of urlsBefore) if (!now.has(url)) this.metrics.forget(url);
  }
}
