export { ManualClock, systemClock, type Clock, type TimerHandle } from '@pyrometer/model';
export { ScrapeError, type ScrapeErrorCode } from './errors.js';
export { defaultScrapeManagerOptions, ScrapeManager, type ScrapeManagerOptions, type TargetMetadata } from './scrape-manager.js';
export { Target, type DroppedTarget, type MetricMetadata, type TargetHealth } from './target.js';
export { TargetDiscovery, type TargetDiscoveryOptions } from './discovery/target-discovery.js';
