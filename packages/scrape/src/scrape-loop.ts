import { ExpositionFormat, formatFromContentType } from '@pyrometer/exposition';
import { LabelsBuilder, type Clock, type TimerHandle } from '@pyrometer/model';
import type { Appendable, Appender, SeriesRef } from '@pyrometer/storage';
import type { Logger } from '@pyrometer/telemetry';
import { ScrapeError } from './errors.js';
import { appendScrape, appendStale, emptyStats, type AppendContext, type AppendStats } from './internal/append-scrape.js';
import type { BodyBufferPool } from './internal/body-buffer-pool.js';
import type { HttpTargetClient } from './internal/http-target-client.js';
import type { ScrapeMetrics } from './internal/metrics.js';
import { ScrapeCache, type SeriesEntry } from './internal/scrape-cache.js';
import type { Target } from './target.js';

/** Scrape timestamps within this distance of the interval grid are snapped to it (upstream's default tolerance). */
const TIMESTAMP_TOLERANCE_MS = 2;

const REPORT_NAMES = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added'] as const;

/** Everything a loop shares with its pool. */
export interface LoopDeps {
  appendable: Appendable;
  client: HttpTargetClient;
  /** Where each scrape borrows the buffer its body is read into (shared by the manager's loops). */
  bodyBuffers: BodyBufferPool;
  clock: Clock;
  logger: Logger;
  metrics: ScrapeMetrics;
  /** Mixed into the per-target offset so that several servers spread differently (upstream: external labels + hostname). */
  offsetSeed: number;
}

/** Per-loop request and append settings derived from the scrape config. */
export interface LoopSettings extends Omit<AppendContext, 'targetLabels'> {
  accept: string;
  gzip: boolean;
  bodySizeLimit: number;
  fallbackFormat: ExpositionFormat | undefined;
  userAgent: string;
}

/**
 * Scrapes one target on its own schedule: first at a per-target offset within the interval (so
 * targets spread out but keep their phase across restarts), then every interval. Each scrape
 * appends samples, staleness markers and the five report series in one batch. Stopping writes
 * end-of-run staleness markers after two more intervals plus 10% unless disabled (reload) or the
 * target is active again by then. Not reentrant: a tick that finds the previous scrape still
 * running is skipped.
 */
export class ScrapeLoop {
  readonly cache: ScrapeCache;
  private timer: TimerHandle | undefined;
  private nextTick = 0;
  private lastScrapeTime: number | undefined;
  private alignedTime: number | undefined;
  private running: Promise<void> | undefined;
  private halted = false;
  private readonly abort = new AbortController();
  private readonly report: SeriesEntry[];
  private endOfRun: { timer: TimerHandle; resolve: () => void } | undefined;
  /** When set, scrapes are not made and fail with this error (the pool's target_limit is exceeded). */
  forcedError: ScrapeError | undefined;
  /** Settles when `stop` has finished (end-of-run staleness included); pending before `stop`. */
  stopped: Promise<void> = new Promise(() => undefined);

  constructor(readonly target: Target, private readonly deps: LoopDeps, private readonly settings: LoopSettings, cache?: ScrapeCache) {
    this.cache = cache ?? new ScrapeCache();
    target.cache = this.cache;
    this.report = REPORT_NAMES.map((name) => ({ labels: new LabelsBuilder(target.seriesLabels).set('__name__', name).labels(), ref: 0 as SeriesRef, lastIter: -1, explicitTs: false }));
  }

  /** Schedules the first scrape at the target's offset; later scrapes follow every interval. */
  start(): void {
    const now = this.deps.clock.now();
    this.nextTick = now + this.offset(now);
    this.schedule();
  }

  private schedule(): void {
    this.timer = this.deps.clock.setTimeout(() => this.tick(), this.nextTick - this.deps.clock.now());
  }

  private tick(): void {
    if (this.halted) return;
    this.nextTick += this.target.scrapeInterval;
    this.schedule();
    if (this.running) return;
    this.running = this.scrapeAndReport().finally(() => (this.running = undefined));
  }

  /** Resolves when no scrape of this loop is in flight. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Stops scheduling and waits for an in-flight scrape. With `staleness`, end-of-run staleness
   * markers for every series and the report series are written after two more intervals plus
   * 10%, at the time the next scrape would have run, unless `isBack()` says the target returned.
   */
  stop(options: { staleness: boolean; isBack?: () => boolean }): Promise<void> {
    this.stopped = this.stopInner(options);
    return this.stopped;
  }

  private async stopInner(options: { staleness: boolean; isBack?: () => boolean }): Promise<void> {
    this.halted = true;
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    if (!options.staleness) this.abort.abort();
    await this.idle();
    const last = this.lastScrapeTime;
    if (!options.staleness || last === undefined) return;
    const interval = this.target.scrapeInterval;
    const staleTime = this.nextTick;
    const fired = await new Promise<boolean>((resolve) => {
      const timer = this.deps.clock.setTimeout(() => resolve(true), staleTime + interval + interval / 10 - this.deps.clock.now());
      this.endOfRun = { timer, resolve: () => resolve(false) };
    });
    this.endOfRun = undefined;
    if (!fired || options.isBack?.()) return;
    const app = this.deps.appendable.appender();
    appendScrape(this.context(), this.cache, app, undefined, 'text', staleTime, emptyStats());
    for (const e of this.report) appendStale(app, e, staleTime);
    await app.commit();
  }

  /** Drops pending end-of-run staleness markers (shutdown: the server will resume where it was). */
  cancelEndOfRun(): void {
    if (!this.endOfRun) return;
    this.deps.clock.clearTimeout(this.endOfRun.timer);
    this.endOfRun.resolve();
  }

  /** One scrape now (also what each tick runs). */
  async scrapeAndReport(): Promise<void> {
    const { clock, client, appendable, logger } = this.deps;
    const scrapeTime = this.alignTime(clock.now());
    const started = performance.now();
    let body: Buffer | undefined;
    let format: 'text' | 'openmetrics' = 'text';
    let scrapeErr: ScrapeError | undefined = this.forcedError;
    // Lent to this scrape only, from the buffers every loop shares (see BodyBufferPool).
    const into = this.deps.bodyBuffers.take();
    try {
      if (scrapeErr) throw scrapeErr;
      const fetched = await client.fetch({
        url: this.target.scrapeUrl,
        headers: { accept: this.settings.accept, 'user-agent': this.settings.userAgent, 'x-prometheus-scrape-timeout-seconds': String(this.target.scrapeTimeout / 1000) },
        timeoutMs: this.target.scrapeTimeout,
        bodySizeLimit: this.settings.bodySizeLimit,
        gzip: this.settings.gzip,
        signal: this.abort.signal,
        into,
      });
      const f = formatFromContentType(fetched.contentType, this.settings.fallbackFormat);
      if (f === ExpositionFormat.Protobuf) throw new ScrapeError('content_type', 'the protobuf exposition format is not supported; configure scrape_protocols without PrometheusProto');
      format = f;
      body = fetched.body;
    } catch (err) {
      scrapeErr = err instanceof ScrapeError ? err : new ScrapeError('content_type', (err as Error).message, { cause: err });
      if (scrapeErr.code === 'body_size_limit') this.deps.metrics.bodySizeLimitExceeded.inc();
    }
    if (this.abort.signal.aborted) return;
    const duration = (performance.now() - started) / 1000;
    let app: Appender = appendable.appender();
    const stats = emptyStats();
    try {
      appendScrape(this.context(), this.cache, app, scrapeErr ? undefined : (body ?? Buffer.alloc(0)), format, scrapeTime, stats, into);
    } catch (err) {
      await app.rollback();
      scrapeErr = err instanceof ScrapeError ? err : new ScrapeError('parse', (err as Error).message, { cause: err });
      if (scrapeErr.code === 'sample_limit') this.deps.metrics.sampleLimitExceeded.inc();
      app = appendable.appender();
      appendScrape(this.context(), this.cache, app, undefined, format, scrapeTime, emptyStats());
    }
    // The body has been parsed; the cache kept its bytes and gave `into` others, or copied them.
    this.deps.bodyBuffers.giveBack(into);
    this.countRejections(stats);
    this.appendReport(app, scrapeTime, duration, stats, scrapeErr === undefined);
    try {
      await app.commit();
    } catch (err) {
      logger.error('scrape commit failed', { target: this.target.scrapeUrl, err: (err as Error).message });
    }
    this.lastScrapeTime = scrapeTime;
    const t = this.target;
    t.lastScrape = scrapeTime;
    t.lastScrapeDuration = duration;
    t.health = scrapeErr ? 'down' : 'up';
    t.lastError = scrapeErr?.message ?? '';
    if (scrapeErr) logger.debug('scrape failed', { target: t.scrapeUrl, err: scrapeErr.message });
  }

  private appendReport(app: Appender, t: number, duration: number, s: AppendStats, up: boolean): void {
    const values = [up ? 1 : 0, duration, s.total, s.added, s.seriesAdded];
    for (let i = 0; i < this.report.length; i++) {
      const e = this.report[i]!;
      try {
        e.ref = app.append(e.ref, e.labels, t, values[i]!);
      } catch {
        // An out-of-order report sample (clock stepped back) is dropped like any other sample.
      }
    }
  }

  private countRejections(s: AppendStats): void {
    const m = this.deps.metrics;
    if (s.duplicate > 0) m.duplicate.inc(s.duplicate);
    if (s.outOfOrder > 0) m.outOfOrder.inc(s.outOfOrder);
    if (s.outOfBounds > 0) m.outOfBounds.inc(s.outOfBounds);
    if (s.duplicate + s.outOfOrder + s.outOfBounds > 0) {
      this.deps.logger.warn('samples rejected', { target: this.target.scrapeUrl, duplicate: s.duplicate, out_of_order: s.outOfOrder, out_of_bounds: s.outOfBounds });
    }
  }

  private context(): AppendContext {
    return { ...this.settings, targetLabels: this.target.seriesLabels };
  }

  /** Snaps `now` to the previous scrape time + interval when within the tolerance (upstream's timestamp alignment). */
  private alignTime(now: number): number {
    const interval = this.target.scrapeInterval;
    const tolerance = Math.min(TIMESTAMP_TOLERANCE_MS, interval / 100);
    let t = now;
    if (this.alignedTime !== undefined && Math.abs(now - (this.alignedTime + interval)) <= tolerance) t = this.alignedTime + interval;
    this.alignedTime = t;
    return t;
  }

  /** Upstream's offset: pinned to absolute time, a per-target fraction of the interval from now. */
  private offset(now: number): number {
    const interval = this.target.scrapeInterval;
    const base = interval - (now % interval);
    const h = (hashString(this.target.key) ^ this.deps.offsetSeed) >>> 0;
    let next = base + (h % interval);
    if (next > interval) next -= interval;
    return next;
  }
}

/** FNV-1a over the UTF-16 code units: a stable 32-bit hash. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

