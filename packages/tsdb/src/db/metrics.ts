import type { Counter, Histogram, MetricsRegistry } from '@pyrometer/telemetry';
import type { Head } from '../head/head.js';

/**
 * The TSDB's self-metrics, named as Prometheus names them. Created once per DB on the registry the
 * caller passes in; gauges read the live head and block list when collected.
 */
export class TsdbMetrics {
  readonly compactions: Counter;
  readonly compactionsFailed: Counter;
  readonly compactionDuration: Histogram;
  readonly headTruncations: Counter;
  readonly walCorruptions: Counter;
  readonly walFsyncDuration: Histogram;
  readonly walTruncations: Counter;
  readonly walWritesFailed: Counter;
  readonly checkpointCreations: Counter;
  readonly reloads: Counter;
  readonly reloadsFailed: Counter;
  readonly timeRetentions: Counter;
  readonly sizeRetentions: Counter;
  readonly mmapChunkCorruptions: Counter;

  constructor(registry: MetricsRegistry) {
    // Touched once so they are exposed as 0 from the start, as Prometheus exposes them.
    const c = (name: string, help: string): Counter => {
      const counter = registry.counter({ name, help });
      counter.inc(0);
      return counter;
    };
    this.compactions = c('prometheus_tsdb_compactions_total', 'Total number of compactions that were executed for the partition.');
    this.compactionsFailed = c('prometheus_tsdb_compactions_failed_total', 'Total number of compactions that failed for the partition.');
    this.compactionDuration = registry.histogram({ name: 'prometheus_tsdb_compaction_duration_seconds', help: 'Duration of compaction runs.', buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });
    this.headTruncations = c('prometheus_tsdb_head_truncations_total', 'Total number of head truncations attempted.');
    this.walCorruptions = c('prometheus_tsdb_wal_corruptions_total', 'Total number of WAL corruptions.');
    this.walFsyncDuration = registry.histogram({ name: 'prometheus_tsdb_wal_fsync_duration_seconds', help: 'Duration of write log fsync.', buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1] });
    this.walTruncations = c('prometheus_tsdb_wal_truncations_total', 'Total number of write log truncations attempted.');
    this.walWritesFailed = c('prometheus_tsdb_wal_writes_failed_total', 'Total number of write log writes that failed.');
    this.checkpointCreations = c('prometheus_tsdb_checkpoint_creations_total', 'Total number of checkpoint creations attempted.');
    this.reloads = c('prometheus_tsdb_reloads_total', 'Number of times the database reloaded block data from disk.');
    this.reloadsFailed = c('prometheus_tsdb_reloads_failures_total', 'Number of times the database failed to reloadBlocks block data from disk.');
    this.timeRetentions = c('prometheus_tsdb_time_retentions_total', 'The number of times that blocks were deleted because the maximum time limit was exceeded.');
    this.sizeRetentions = c('prometheus_tsdb_size_retentions_total', 'The number of times that blocks were deleted because the maximum number of bytes was exceeded.');
    this.mmapChunkCorruptions = c('prometheus_tsdb_mmap_chunk_corruptions_total', 'Total number of memory-mapped chunk corruptions.');
  }

  /** Registers the gauges and counters that read live state. */
  observe(registry: MetricsRegistry, head: Head, blocks: () => { count: number; bytes: number; lowest: number }): void {
    registry.gaugeFunc({ name: 'prometheus_tsdb_head_series', help: 'Total number of series in the head block.' }, () => head.numSeries);
    registry.gaugeFunc({ name: 'prometheus_tsdb_head_min_time', help: 'Minimum time bound of the head block.' }, () => (head.minT === Infinity ? 0 : head.minT));
    registry.gaugeFunc({ name: 'prometheus_tsdb_head_max_time', help: 'Maximum timestamp of the head block.' }, () => (head.maxT === -Infinity ? 0 : head.maxT));
    registry.counterFunc({ name: 'prometheus_tsdb_head_samples_appended_total', help: 'Total number of appended samples.' }, () => head.stats.samplesAppended);
    registry.counterFunc({ name: 'prometheus_tsdb_head_series_created_total', help: 'Total number of series created in the head' }, () => head.stats.seriesCreated);
    registry.counterFunc({ name: 'prometheus_tsdb_head_series_removed_total', help: 'Total number of series removed in the head' }, () => head.stats.seriesRemoved);
    registry.counterFunc({ name: 'prometheus_tsdb_out_of_order_samples_total', help: 'Total number of out of order samples ingestion failed attempts due to OOO being disabled.' }, () => head.stats.outOfOrderSamples);
    registry.counterFunc({ name: 'prometheus_tsdb_out_of_bound_samples_total', help: 'Total number of out of bound samples ingestion failed attempts with out of order support disabled.' }, () => head.stats.outOfBoundsSamples);
    registry.counterFunc({ name: 'prometheus_tsdb_too_old_samples_total', help: 'Total number of out of order samples ingestion failed attempts with out of support enabled, but sample outside of time window.' }, () => head.stats.tooOldSamples);
    registry.gaugeFunc({ name: 'prometheus_tsdb_blocks_loaded', help: 'Number of currently loaded data blocks' }, () => blocks().count);
    registry.gaugeFunc({ name: 'prometheus_tsdb_storage_blocks_bytes', help: 'The number of bytes that are currently used for local storage by all blocks.' }, () => blocks().bytes);
    registry.gaugeFunc({ name: 'prometheus_tsdb_lowest_timestamp', help: 'Lowest timestamp value stored in the database.' }, () => blocks().lowest);
  }
}
