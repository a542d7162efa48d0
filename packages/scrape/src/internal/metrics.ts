import type { Counter, Gauge, MetricsRegistry } from '@pyrometer/telemetry';

/** The scrape manager's self-metrics, named as upstream names them. Created once per manager. */
export class ScrapeMetrics {
  readonly sampleLimitExceeded: Counter;
  readonly bodySizeLimitExceeded: Counter;
  readonly duplicate: Counter;
  readonly outOfOrder: Counter;
  readonly outOfBounds: Counter;
  readonly poolTargets: Gauge;
  readonly poolReloads: Counter;
  readonly poolReloadsFailed: Counter;
  readonly sdFailures: Counter;
  readonly discoveredTargets: Gauge;

  constructor(r: MetricsRegistry) {
    this.sampleLimitExceeded = r.counter({ name: 'prometheus_target_scrapes_exceeded_sample_limit_total', help: 'Total number of scrapes that hit the sample limit and were rejected.' });
    this.bodySizeLimitExceeded = r.counter({ name: 'prometheus_target_scrapes_exceeded_body_size_limit_total', help: 'Total number of scrapes that hit the body size limit.' });
    this.duplicate = r.counter({ name: 'prometheus_target_scrapes_sample_duplicate_timestamp_total', help: 'Total number of samples rejected due to duplicate timestamps but different values.' });
    this.outOfOrder = r.counter({ name: 'prometheus_target_scrapes_sample_out_of_order_total', help: 'Total number of samples rejected due to not being out of the expected order.' });
    this.outOfBounds = r.counter({ name: 'prometheus_target_scrapes_sample_out_of_bounds_total', help: 'Total number of samples rejected due to timestamp falling outside of the time bounds.' });
    this.poolTargets = r.gauge({ name: 'prometheus_target_scrape_pool_targets', help: 'Current number of targets in this scrape pool.', labelNames: ['scrape_job'] });
    this.poolReloads = r.counter({ name: 'prometheus_target_scrape_pool_reloads_total', help: 'Total number of scrape pool reloads.' });
    this.poolReloadsFailed = r.counter({ name: 'prometheus_target_scrape_pool_reloads_failed_total', help: 'Total number of failed scrape pool reloads.' });
    this.sdFailures = r.counter({ name: 'prometheus_sd_failures_total', help: 'Number of service discovery refresh failures.', labelNames: ['mechanism'] });
    this.discoveredTargets = r.gauge({ name: 'prometheus_sd_discovered_targets', help: 'Current number of discovered targets.', labelNames: ['config'] });
  }
}
