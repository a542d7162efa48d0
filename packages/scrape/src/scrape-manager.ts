import { hostname } from 'node:os';
import type { Config, ScrapeConfig } from '@pyrometer/config';
import { systemClock, type Clock, type RelabelRule } from '@pyrometer/model';
import type { Appendable } from '@pyrometer/storage';
import { MetricsRegistry, silentLogger, type Logger } from '@pyrometer/telemetry';
import { TargetDiscovery } from './discovery/target-discovery.js';
import { BodyBufferPool } from './internal/body-buffer-pool.js';
import { ScrapeMetrics } from './internal/metrics.js';
import { hashString } from './scrape-loop.js';
import { ScrapePool } from './scrape-pool.js';
import type { DroppedTarget, MetricMetadata, Target } from './target.js';

/** Options of {@link ScrapeManager}. */
export interface ScrapeManagerOptions {
  logger: Logger;
  /** Where the manager registers its self-metrics (`prometheus_target_*`, `prometheus_sd_*`). */
  registry: MetricsRegistry;
  /** Wall time and timers for schedules and SD refreshes. */
  clock: Clock;
  /** The User-Agent of scrape requests. */
  userAgent: string;
  /** Seed mixed into target offsets; undefined = derived from the external labels and the host name, as upstream. */
  offsetSeed: number | undefined;
}

/** Defaults: silent logger, a private registry, the system clock. */
export function defaultScrapeManagerOptions(): ScrapeManagerOptions {
  return { logger: silentLogger(), registry: new MetricsRegistry(), clock: systemClock(), userAgent: 'Pyrometer/0.1.0', offsetSeed: undefined };
}

/** One metadata entry of one target, for /api/v1/targets/metadata and /api/v1/metadata. */
export interface TargetMetadata extends MetricMetadata {
  target: Target;
  metric: string;
}

interface Job {
  pool: ScrapePool;
  discovery: TargetDiscovery | undefined;
  sdFingerprint: string;
}

/**
 * Owns one scrape pool per `scrape_configs` job and the discovery providers that feed it, and
 * writes every scrape into `appendable`. `applyConfig` may be called any number of times (calls
 * are serialised): new jobs start, removed jobs stop with end-of-run staleness, changed jobs
 * reload while keeping each target's staleness state, and unchanged jobs are left alone.
 * `stop` ends everything without staleness markers (the server resumes where it stopped).
 */
export class ScrapeManager {
  private readonly opts: ScrapeManagerOptions;
  private readonly metrics: ScrapeMetrics;
  private readonly jobs = new Map<string, Job>();
  /** Pools of removed jobs whose end-of-run staleness markers are still pending. */
  private readonly retired = new Set<ScrapePool>();
  private queue: Promise<void> = Promise.resolve();
  private offsetSeed = 0;
  /** The buffers every loop of every job reads its scrapes' bodies into, a few at a time. */
  private readonly bodyBuffers = new BodyBufferPool();

  constructor(private readonly appendable: Appendable, options: Partial<ScrapeManagerOptions> = {}) {
    this.opts = { ...defaultScrapeManagerOptions(), ...options };
    this.metrics = new ScrapeMetrics(this.opts.registry);
  }

  /** Applies a loaded configuration. Rejects only for programming errors; per-job problems are logged. */
  applyConfig(config: Config): Promise<void> {
    const run = this.queue.then(() => this.apply(config));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Stops every loop and provider; no staleness markers are written. */
  stop(): Promise<void> {
    const run = this.queue.then(async () => {
      for (const job of this.jobs.values()) {
        job.discovery?.stop();
        await job.pool.stop(false);
      }
      this.jobs.clear();
      for (const pool of this.retired) pool.cancelEndOfRun();
      this.retired.clear();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Active targets by job name (jobs in config order). */
  activeTargets(): Map<string, Target[]> {
    return new Map([...this.jobs].map(([name, job]) => [name, job.pool.activeTargets()]));
  }

  /** Dropped targets by job name. */
  droppedTargets(): Map<string, DroppedTarget[]> {
    return new Map([...this.jobs].map(([name, job]) => [name, job.pool.droppedTargets()]));
  }

  /** The compiled `relabel_configs` of scrape pool (job) `name`, or undefined when there is no such pool. */
  targetRelabelRules(name: string): readonly RelabelRule[] | undefined {
    return this.jobs.get(name)?.pool.relabelRules;
  }

  /** Metadata of every active target's last scrape. */
  metadata(): TargetMetadata[] {
    const out: TargetMetadata[] = [];
    for (const job of this.jobs.values()) {
      for (const target of job.pool.activeTargets()) for (const [metric, m] of target.metadata()) out.push({ target, metric, ...m });
    }
    return out;
  }

  /** Resolves when pending config changes, discovery reads and in-flight scrapes have finished. */
  async idle(): Promise<void> {
    await this.queue;
    for (const job of this.jobs.values()) {
      await job.discovery?.settled();
      await job.pool.idle();
    }
  }

  private async apply(config: Config): Promise<void> {
    this.offsetSeed = this.opts.offsetSeed ?? hashString(JSON.stringify(config.global.externalLabels) + hostname());
    const wanted = new Map(config.scrapeConfigs.map((c) => [c.jobName, c]));
    for (const [name, job] of this.jobs) {
      if (wanted.has(name)) continue;
      job.discovery?.stop();
      await job.pool.stop(true);
      this.jobs.delete(name);
      this.retired.add(job.pool);
      void job.pool.endOfRunDone().then(() => this.retired.delete(job.pool));
    }
    for (const [name, sc] of wanted) {
      const job = this.jobs.get(name);
      const sdFingerprint = JSON.stringify([sc.staticConfigs, sc.fileSdConfigs, sc.httpSdConfigs, sc.dnsSdConfigs]);
      try {
        if (!job) {
          const pool = await ScrapePool.create(sc, { appendable: this.appendable, bodyBuffers: this.bodyBuffers, clock: this.opts.clock, logger: this.opts.logger.with({ scrape_pool: name }), metrics: this.metrics, offsetSeed: this.offsetSeed, userAgent: this.opts.userAgent, isTargetActive: (job, key) => this.jobs.get(job)?.pool.hasTarget(key) ?? false });
          const created: Job = { pool, discovery: undefined, sdFingerprint };
          this.jobs.set(name, created);
          await this.startProviders(created, sc);
          continue;
        }
        await job.pool.reload(sc);
        if (job.sdFingerprint !== sdFingerprint) {
          job.discovery?.stop();
          job.pool.clearGroups();
          job.sdFingerprint = sdFingerprint;
          await this.startProviders(job, sc);
        }
      } catch (err) {
        this.metrics.poolReloadsFailed.inc();
        this.opts.logger.error('cannot apply scrape config', { scrape_pool: name, err: (err as Error).message });
      }
    }
  }

  private async startProviders(job: Job, sc: ScrapeConfig): Promise<void> {
    const { clock, logger } = this.opts;
    const poolLogger = logger.with({ scrape_pool: sc.jobName });
    const onFailure = (mechanism: string, err: Error): void => {
      this.metrics.sdFailures.labels(mechanism).inc();
      poolLogger.warn('service discovery failed', { err: err.message });
    };
    const counts = new Map<number, number>();
    job.discovery = await TargetDiscovery.start(sc, { clock, logger: poolLogger, onFailure }, (i, groups) => {
      counts.set(i, groups.reduce((n, g) => n + g.targets.length, 0));
      this.metrics.discoveredTargets.labels(sc.jobName).set([...counts.values()].reduce((a, b) => a + b, 0));
      job.pool.setGroups(i, groups);
    });
  }
}
