import type { Logger } from '@pyrometer/telemetry';
import { decodeSamplesInto, decodeSeries, decodeTombstones, listCheckpoints, readWal, recordType, RecordType, repairWal, segmentName, WalSampleColumns } from '../format/index.js';
import type { Head } from '../head/head.js';
import type { HeadSeries } from '../head/head-series.js';
import type { ReplayResult } from './head-wal.js';
import type { TsdbMetrics } from './metrics.js';
import { ReplayBatch } from './replay-batch.js';

/**
 * Replays the WAL in `dir` (latest checkpoint, then the segments after it) into `head`: series
 * records create series under their WAL refs, samples are applied grouped by series, tombstones
 * are recorded. A corrupt checkpoint is skipped from the corruption on; a torn or corrupt segment
 * tail is truncated (repaired) and reported in the result. Logs progress per segment.
 */
export function replayWal(dir: string, head: Head, logger: Logger, metrics: TsdbMetrics): ReplayResult {
  // WAL refs normally equal head refs; a series logged twice under two refs (Prometheus may do
  // that after a restart) maps its second ref to the first series here.
  const remapped = new Map<number, HeadSeries>();
  const seriesOf = (ref: number): HeadSeries | undefined => (remapped.size === 0 ? head.seriesByRef(ref) : (remapped.get(ref) ?? head.seriesByRef(ref)));
  const cols = new WalSampleColumns();
  const batch = new ReplayBatch(head);
  const result: ReplayResult = { series: 0, samples: 0, repaired: undefined };
  let skipped = 0;
  const visit = (rec: Uint8Array): void => {
    switch (recordType(rec)) {
      case RecordType.Series:
        for (const s of decodeSeries(rec)) {
          const series = head.getOrCreate(s.labels, s.ref);
          series.logged = series.ref === s.ref;
          if (series.ref !== s.ref) remapped.set(s.ref, series);
          result.series++;
        }
        break;
      case RecordType.Samples: {
        const n = decodeSamplesInto(rec, cols);
        const { refs, ts, vs, stale } = cols;
        const minValidTime = head.minValidTime;
        for (let i = 0; i < n; i++) {
          const ref = refs[i]!;
          const s = seriesOf(ref);
          const t = ts[i]!;
          if (s === undefined || t < minValidTime) skipped++;
          else batch.add(remapped.size === 0 ? ref : s.ref, t, vs[i]!, stale[i] === 1);
        }
        break;
      }
      case RecordType.Tombstones:
        for (const t of decodeTombstones(rec)) {
          const s = seriesOf(t.ref);
          if (s !== undefined) head.addTombstone(s.ref, t.mint, t.maxt);
        }
        break;
    }
  };
  const started = performance.now();
  const checkpoint = listCheckpoints(dir).at(-1);
  if (checkpoint !== undefined) {
    logger.info('Replaying WAL checkpoint', { dir: checkpoint.dir });
    const r = readWal(checkpoint.dir, visit);
    if (r.corruption !== undefined) {
      metrics.walCorruptions.inc();
      logger.warn('WAL checkpoint is corrupt; its remaining records are skipped', { segment: r.corruption.segment, offset: r.corruption.offset, reason: r.corruption.reason });
    }
  }
  const r = readWal(dir, visit, {
    from: checkpoint === undefined ? -Infinity : checkpoint.index + 1,
    onSegment: (segment, maxSegment) => logger.info('WAL segment loaded', { segment, maxSegment, series: result.series, samples: batch.applied }),
  });
  batch.flush();
  result.samples = batch.applied;
  if (r.corruption !== undefined) {
    metrics.walCorruptions.inc();
    const { truncatedBytes, deletedSegments } = repairWal(r.corruption);
    result.repaired = `segment ${segmentName(r.corruption.segment)} at offset ${r.corruption.offset}: ${r.corruption.reason}`;
    logger.warn('WAL has a torn or corrupt tail; truncated it and kept every record before it', {
      segment: r.corruption.segment,
      offset: r.corruption.offset,
      reason: r.corruption.reason,
      truncatedBytes,
      deletedSegments,
    });
  }
  if (skipped > 0) logger.debug('WAL samples skipped (unknown series or already in blocks)', { skipped });
  logger.info('WAL replay completed', { series: result.series, samples: result.samples, durationMs: Math.round(performance.now() - started) });
  return result;
}
