import { silentLogger, type Logger, type MetricsRegistry } from '@pyrometer/telemetry';
import { WAL_DEFAULT_SEGMENT_SIZE } from '../format/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Options of a {@link Tsdb}. All durations are in milliseconds, sizes in bytes. */
export interface TsdbOptions {
  /** Size of the blocks cut from the head, and the smallest compaction range (2h). */
  minBlockDuration: number;
  /** Upper bound for compacted block ranges (Prometheus: 10% of the retention, at most 31d). */
  maxBlockDuration: number;
  /** Blocks entirely older than the newest data minus this are deleted (15d); 0 disables. */
  retentionDuration: number;
  /** Oldest blocks are deleted while blocks + WAL exceed this; 0 disables. */
  retentionBytes: number;
  /** Out-of-order window; 0 rejects every out-of-order sample. */
  outOfOrderWindow: number;
  /** Samples later than now + this are rejected as out of bounds. */
  maxFutureDuration: number;
  /** Write (and replay) the WAL. Without it, committed samples live only in memory until cut into a block. */
  walEnabled: boolean;
  /** WAL segment size, a multiple of 32 KiB (128 MiB). */
  walSegmentSize: number;
  /** Hold `<dir>/lock` while open, refusing a directory another live process holds (upstream's default; `--storage.tsdb.no-lockfile` turns it off). */
  lockfile: boolean;
  /** Bytes of block file pages (index and chunks) the database keeps cached in memory. */
  blockCacheBytes: number;
  /** How often the background loop cuts the head and compacts blocks; 0 disables it (call `compact()`). */
  compactionInterval: number;
  /** The clock, ms since the epoch. */
  now: () => number;
  logger: Logger;
  /** Where self-metrics are registered; none when undefined. */
  registry: MetricsRegistry | undefined;
}

/** Prometheus's defaults (tsdb.DefaultOptions and the server's flag defaults). */
export function defaultOptions(): TsdbOptions {
  const retentionDuration = 15 * DAY;
  return {
    minBlockDuration: 2 * HOUR,
    maxBlockDuration: Math.min(31 * DAY, retentionDuration / 10),
    retentionDuration,
    retentionBytes: 0,
    outOfOrderWindow: 0,
    maxFutureDuration: HOUR,
    walEnabled: true,
    walSegmentSize: WAL_DEFAULT_SEGMENT_SIZE,
    lockfile: true,
    blockCacheBytes: 32 * 1024 * 1024,
    compactionInterval: 60_000,
    now: Date.now,
    logger: silentLogger(),
    registry: undefined,
  };
}

/**
 * The compaction ranges: `minSize` times powers of `stepSize` (2h, 6h, 18h, 54h, …), `steps` of
 * them, as Prometheus's ExponentialBlockRanges; ranges above `max` are dropped.
 */
export function exponentialBlockRanges(minSize: number, steps: number, stepSize: number, max = Infinity): number[] {
  const out: number[] = [];
  let r = minSize;
  for (let i = 0; i < steps && r <= max; i++) {
    out.push(r);
    r *= stepSize;
  }
  return out;
}
