import type { ScrapeConfig, TargetGroup } from '@pyrometer/config';
import type { ExpositionFormat } from '@pyrometer/exposition';
import { compileRelabelConfig, type Clock, type RelabelRule } from '@pyrometer/model';
import type { Appendable } from '@pyrometer/storage';
import type { Logger } from '@pyrometer/telemetry';
import { ScrapeError } from './errors.js';
import { acceptHeader } from './internal/accept-header.js';
import type { BodyBufferPool } from './internal/body-buffer-pool.js';
import { HttpTargetClient } from './internal/http-target-client.js';
import type { ScrapeMetrics } from './internal/metrics.js';
import { ScrapeCache } from './internal/scrape-cache.js';
import { populateTargetLabels, scrapeUrlOf, seriesLabelsOf } from './internal/target-labels.js';
import { ScrapeLoop, type LoopSettings } from './scrape-loop.js';
import { Target, type DroppedTarget } from './target.js';

/** What every pool of a manager shares. */
export interface PoolDeps {
  appendable: Appendable;
  /** The body buffers the manager's loops share. */
  bodyBuffers: BodyBufferPool;
  clock: Clock;
  logger: Logger;
  metrics: ScrapeMetrics;
  offsetSeed: number;
  userAgent: string;
  /** Whether any pool (possibly a newer one for the same job) scrapes the target `key` of job `job` now. */
  isTargetActive: (job: string, key: string) => boolean;
}

const FALLBACK_FORMATS: Record<string, ExpositionFormat> = {
  PrometheusProto: 'protobuf',
  'PrometheusText0.0.4': 'text',
  'PrometheusText1.0.0': 'text',
  'OpenMetricsText0.0.1': 'openmetrics',
  'OpenMetricsText1.0.0': 'openmetrics',
};

/**
 * The targets of one scrape config (job) and their loops. Target groups arrive per discovery
 * provider; every change re-derives the target set: new targets start a loop, vanished ones stop
 * with end-of-run staleness, unchanged ones keep running. A config reload restarts the loops
 * with the new settings but hands each its predecessor's series cache, so staleness tracking
 * survives. Single-threaded use only (the manager serialises calls).
 */
export class ScrapePool {
  private loops = new Map<string, ScrapeLoop>();
  private readonly groups = new Map<number, TargetGroup[]>();
  private dropped: DroppedTarget[] = [];
  private readonly ending = new Set<ScrapeLoop>();
  private targetRules: RelabelRule[];
  private closed = false;

  private constructor(private config: ScrapeConfig, private client: HttpTargetClient, private readonly deps: PoolDeps) {
    this.targetRules = compileRules(config, 'relabel');
  }

  /** The compiled target relabeling rules of the current config. */
  get relabelRules(): readonly RelabelRule[] {
    return this.targetRules;
  }

  /** Creates a pool (its HTTP client reads TLS files now). */
  static async create(config: ScrapeConfig, deps: PoolDeps): Promise<ScrapePool> {
    return new ScrapePool(config, await HttpTargetClient.create(config.httpClient), deps);
  }

  /** The job name. */
  get name(): string {
    return this.config.jobName;
  }

  /** Replaces the groups of provider `index` and re-derives the targets. */
  setGroups(index: number, groups: TargetGroup[]): void {
    this.groups.set(index, groups);
    this.sync();
  }

  /** Forgets every provider's groups (their providers were replaced). */
  clearGroups(): void {
    this.groups.clear();
  }

  /** Current targets, in a stable order (by labels). */
  activeTargets(): Target[] {
    return [...this.loops.values()].map((l) => l.target);
  }

  /** Targets dropped by relabeling or invalid, at most `keep_dropped_targets` of them when that is set. */
  droppedTargets(): DroppedTarget[] {
    return this.dropped;
  }

  /** Whether the pool currently scrapes the target with this key. */
  hasTarget(key: string): boolean {
    return this.loops.has(key);
  }

  /** Resolves when no scrape of any loop is in flight. */
  async idle(): Promise<void> {
    await Promise.all([...this.loops.values()].map((l) => l.idle()));
  }

  /**
   * Applies a changed scrape config: loops restart with the new settings, keeping their series
   * cache when only interval, timeout, sample limit or HTTP settings changed, and otherwise
   * carrying the previously seen series so they still get staleness markers.
   */
  async reload(config: ScrapeConfig): Promise<void> {
    const old = this.config;
    if (fingerprint(old) === fingerprint(config)) return;
    this.deps.metrics.poolReloads.inc();
    const reusable = fingerprint(old, true) === fingerprint(config, true);
    this.targetRules = compileRules(config, 'relabel');
    if (JSON.stringify(old.httpClient) !== JSON.stringify(config.httpClient)) {
      const previous = this.client;
      this.client = await HttpTargetClient.create(config.httpClient);
      void previous.close();
    }
    this.config = config;
    const oldLoops = this.loops;
    this.loops = new Map();
    const wanted = this.deriveTargets();
    for (const [key, target] of wanted) {
      const prev = oldLoops.get(key);
      if (!prev) continue;
      oldLoops.delete(key);
      await prev.stop({ staleness: false });
      const cache = reusable ? prev.cache : ScrapeCache.carryingStaleness(prev.cache);
      this.startLoop(key, target, cache);
    }
    for (const loop of oldLoops.values()) this.endLoop(loop);
    for (const [key, target] of wanted) if (!this.loops.has(key)) this.startLoop(key, target);
    this.deps.metrics.poolTargets.labels(this.name).set(this.loops.size);
    this.applyTargetLimit();
  }

  /** Drops every pending end-of-run staleness marker (shutdown). */
  cancelEndOfRun(): void {
    for (const l of this.ending) l.cancelEndOfRun();
  }

  /** Resolves when no end-of-run staleness is pending any more. */
  async endOfRunDone(): Promise<void> {
    while (this.ending.size > 0) await Promise.allSettled([...this.ending].map((l) => l.stopped));
  }

  /** Stops every loop. With `staleness` (the job was removed) their series get end-of-run markers. */
  async stop(staleness: boolean): Promise<void> {
    this.closed = staleness ? this.closed : true;
    const loops = [...this.loops.values()];
    this.loops.clear();
    if (staleness) for (const l of loops) this.endLoop(l);
    else {
      this.cancelEndOfRun();
      await Promise.all(loops.map((l) => l.stop({ staleness: false })));
      await this.client.close();
    }
    this.deps.metrics.poolTargets.remove(this.name);
  }

  private sync(): void {
    const wanted = this.deriveTargets();
    for (const [key, loop] of this.loops) {
      if (wanted.has(key)) continue;
      this.loops.delete(key);
      this.endLoop(loop);
    }
    for (const [key, target] of wanted) if (!this.loops.has(key)) this.startLoop(key, target);
    this.deps.metrics.poolTargets.labels(this.name).set(this.loops.size);
    this.applyTargetLimit();
  }

  /** Upstream's target_limit: over the limit, every target of the job fails until the count drops. */
  private applyTargetLimit(): void {
    const limit = this.config.targetLimit;
    const n = this.loops.size;
    const err = limit > 0 && n > limit ? new ScrapeError('target_limit', `target_limit exceeded (number of targets: ${n}, limit: ${limit})`) : undefined;
    for (const loop of this.loops.values()) loop.forcedError = err;
  }

  private deriveTargets(): Map<string, Target> {
    const wanted = new Map<string, Target>();
    const dropped: DroppedTarget[] = [];
    const keep = this.config.keepDroppedTargets;
    for (const groups of this.groups.values()) {
      for (const group of groups) {
        for (const t of group.targets) {
          const p = populateTargetLabels(this.config, this.targetRules, t, group);
          if (!p.labels) {
            if (p.error) this.deps.logger.debug('invalid target dropped', { job: this.name, labels: p.discovered.toString(), err: p.error });
            if (keep === 0 || dropped.length < keep) dropped.push({ scrapePool: this.name, discoveredLabels: p.discovered, reason: p.error });
            continue;
          }
          const target = new Target(this.name, p.discovered, p.labels, seriesLabelsOf(p.labels), scrapeUrlOf(p.labels, this.config.params), p.intervalMs, p.timeoutMs);
          if (!wanted.has(target.key)) wanted.set(target.key, target);
        }
      }
    }
    this.dropped = dropped;
    return wanted;
  }

  private startLoop(key: string, target: Target, cache?: ScrapeCache): void {
    const loop = new ScrapeLoop(target, { ...this.deps, client: this.client }, this.settings(), cache);
    this.loops.set(key, loop);
    loop.start();
  }

  private endLoop(loop: ScrapeLoop): void {
    const key = loop.target.key;
    this.ending.add(loop);
    void loop
      .stop({ staleness: true, isBack: () => this.closed || this.loops.has(key) || this.deps.isTargetActive(this.name, key) })
      .catch((err: unknown) => this.deps.logger.warn('end-of-run staleness failed', { target: loop.target.scrapeUrl, err: (err as Error).message }))
      .finally(() => this.ending.delete(loop));
  }

  private settings(): LoopSettings {
    const c = this.config;
    return {
      accept: acceptHeader(c.scrapeProtocols, c.metricNameEscapingScheme),
      gzip: c.enableCompression,
      bodySizeLimit: c.bodySizeLimit,
      fallbackFormat: c.fallbackScrapeProtocol ? FALLBACK_FORMATS[c.fallbackScrapeProtocol] : undefined,
      userAgent: this.deps.userAgent,
      honorLabels: c.honorLabels,
      honorTimestamps: c.honorTimestamps,
      trackTimestampsStaleness: c.trackTimestampsStaleness,
      metricRelabelRules: compileRules(c, 'metric'),
      sampleLimit: c.sampleLimit,
      limits: { labelLimit: c.labelLimit, labelNameLengthLimit: c.labelNameLengthLimit, labelValueLengthLimit: c.labelValueLengthLimit },
      legacyNames: c.metricNameValidationScheme === 'legacy',
    };
  }
}

function compileRules(c: ScrapeConfig, which: 'relabel' | 'metric'): RelabelRule[] {
  const legacy = c.metricNameValidationScheme === 'legacy';
  return (which === 'relabel' ? c.relabelConfigs : c.metricRelabelConfigs).map((r) => compileRelabelConfig(r, { legacy }));
}

/** The config without service discovery (handled by the manager); `forCache` also drops what does not alter samples. */
function fingerprint(c: ScrapeConfig, forCache = false): string {
  const { staticConfigs: _s, fileSdConfigs: _f, httpSdConfigs: _h, dnsSdConfigs: _d, ...rest } = c;
  if (!forCache) return JSON.stringify(rest);
  const { scrapeInterval: _i, scrapeTimeout: _t, sampleLimit: _l, httpClient: _c, ...samples } = rest;
  return JSON.stringify(samples);
}
