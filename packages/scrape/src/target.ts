import type { Labels } from '@pyrometer/model';
import type { MetricMetadata, ScrapeCache } from './internal/scrape-cache.js';

/** A target's health after its last scrape; `unknown` before the first. */
export type TargetHealth = 'up' | 'down' | 'unknown';

export type { MetricMetadata } from './internal/scrape-cache.js';

/**
 * One scrape target: its identity (labels and URL, fixed for its lifetime) and its last scrape's
 * outcome (updated by its scrape loop after each scrape). This is what /api/v1/targets and
 * /api/v1/targets/metadata read; the fields are snapshots, safe to read at any time.
 */
export class Target {
  health: TargetHealth = 'unknown';
  /** Message of the last scrape's error; '' after a successful scrape. */
  lastError = '';
  /** Timestamp (ms) the last scrape's samples were written at; undefined before the first scrape. */
  lastScrape: number | undefined = undefined;
  /** Seconds the last scrape took (HTTP and parsing). */
  lastScrapeDuration = 0;
  /** @internal The series cache of the loop scraping this target; set by the loop. */
  cache: ScrapeCache | undefined = undefined;

  constructor(
    /** The job name of the scrape config. */
    readonly scrapePool: string,
    /** Labels before relabeling, `__meta_*` included. */
    readonly discoveredLabels: Labels,
    /** Labels after relabeling, `__` labels (address, scheme, path, interval, timeout) included. */
    readonly labels: Labels,
    /** The labels attached to scraped series (no `__` labels). */
    readonly seriesLabels: Labels,
    readonly scrapeUrl: string,
    /** Scrape interval and timeout in ms (from `__scrape_interval__` / `__scrape_timeout__`). */
    readonly scrapeInterval: number,
    readonly scrapeTimeout: number,
  ) {}

  /** Identity within a pool: equal keys mean the same target across SD updates and reloads. */
  get key(): string {
    return `${this.seriesLabels.key()}\u0000${this.scrapeUrl}`;
  }

  /** Family metadata (TYPE/HELP/UNIT) from the target's last scrape, by family name. */
  metadata(): Map<string, MetricMetadata> {
    return this.cache?.metadata() ?? new Map();
  }
}

/** A discovered target that relabeling dropped (or that was invalid), for /api/v1/targets?state=dropped. */
export interface DroppedTarget {
  scrapePool: string;
  discoveredLabels: Labels;
  /** Why it was dropped when it was invalid rather than relabeled away. */
  reason: string | undefined;
}
