import type { Logger } from '@pyrometer/telemetry';
import { decodeSamples, decodeSamplesInto, decodeSeries, decodeTombstones, listCheckpoints, readWal, recordType, RecordType, repairWal, segmentName, WalSampleColumns, type MappedChunk, type WalCorruption } from '../format/index.js';
import type { Head } from '../head/head.js';
import type { HeadSeries } from '../head/head-series.js';
import type { ReplayResult } from './head-wal.js';
import type { TsdbMetrics } from './metrics.js';
import { ReplayBatch } from './replay-batch.js';

/** The chunks `chunks_head/` holds per series ref, in time order. */
export type MappedChunksBySeries = Map<number, { refs: number[]; minTs: number[]; maxTs: number[] }>;

/**
 * Groups the chunks found in `chunks_head/` by series, dropping those that end before `minValidTime`
 * (in blocks already) and out-of-order ones (never written here). A series whose chunks overlap
 * keeps only those before the overlap: the WAL replays the rest.
 */
export function mappedChunksBySeries(chunks: readonly MappedChunk[], minValidTime: number): MappedChunksBySeries {
  const out: MappedChunksBySeries = new Map();
  const broken = new Set<number>();
  for (const c of chunks) {
    if (c.ooo || c.maxt < minValidTime || broken.has(c.seriesRef)) continue;
    let e = out.get(c.seriesRef);
    if (e === undefined) out.set(c.seriesRef, (e = { refs: [], minTs: [], maxTs: [] }));
    if (e.maxTs.length > 0 && c.mint <= e.maxTs[e.maxTs.length - 1]!) {
      broken.add(c.seriesRef);
      continue;
    }
    e.refs.push(c.ref);
    e.minTs.push(c.mint);
    e.maxTs.push(c.maxt);
  }
  return out;
}

/**
 * Replays the WAL in `dir` (latest checkpoint, then the segments after it) into `head`: series
 * records create series under their WAL refs and give them their chunks from `chunks_head/`
 * (`mapped`), samples newer than those chunks are applied grouped by series, tombstones are
 * recorded. A corrupt checkpoint is skipped from the corruption on; a torn or corrupt segment
 * tail is truncated (repaired) and reported in the result. Logs progress per segment.
 */
export function replayWal(dir: string, head: Head, mapped: MappedChunksBySeries, logger: Logger, metrics: TsdbMetrics): ReplayResult {
  // WAL refs normally equal head refs; a series logged twice under two refs (Prometheus may do
  // that after a restart) maps its second ref to the first series here.
  const remapped = new Map<number, HeadSeries>();
  const seriesOf = (ref: number): HeadSeries | undefined => (remapped.size === 0 ? head.seriesByRef(ref) : (remapped.get(ref) ?? head.seriesByRef(ref)));
  const attach = (series: HeadSeries): void => {
    const chunks = mapped.get(series.ref);
    if (chunks === undefined) return;
    mapped.delete(series.ref);
    head.attachChunks(series, chunks.refs, chunks.minTs, chunks.maxTs);
  };
  const cols = new WalSampleColumns();
  const batch = new ReplayBatch(head);
  const result: ReplayResult = { series: 0, samples: 0, oooSamples: 0, repaired: undefined };
  let skipped = 0;
  const visit = (rec: Uint8Array): void => {
    switch (recordType(rec)) {
      case RecordType.Series:
        for (const s of decodeSeries(rec)) {
          const series = head.getOrCreate(s.labels, s.ref);
          series.logged = series.ref === s.ref;
          if (series.ref !== s.ref) remapped.set(s.ref, series);
          else attach(series);
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
          // Samples up to the series' newest chunk in chunks_head/ are in it already.
          else if (t > s.closedMaxT) batch.add(remapped.size === 0 ? ref : s.ref, t, vs[i]!, stale[i] === 1);
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
  head.options.chunks.flush();
  result.samples = batch.applied;
  if (r.corruption !== undefined) result.repaired = repairTail(r.corruption, 'WAL', logger, metrics);
  if (skipped > 0) logger.debug('WAL samples skipped (unknown series or already in blocks)', { skipped });
  logger.info('WAL replay completed', { series: result.series, samples: result.samples, durationMs: Math.round(performance.now() - started) });
  return result;
}

/**
 * Replays the write-behind log in `dir` (out-of-order samples, after the WAL gave the head its
 * series) into `head`, truncating a torn or corrupt tail as for the WAL. Samples of series the
 * head does not know, or older than it accepts, are skipped. Returns how many were applied.
 */
export function replayWbl(dir: string, head: Head, logger: Logger, metrics: TsdbMetrics): number {
  let applied = 0;
  const minValidTime = head.minValidTime;
  const r = readWal(dir, (rec) => {
    if (recordType(rec) !== RecordType.Samples) return;
    decodeSamples(rec, (ref, t, v, stale) => {
      const s = head.seriesByRef(ref);
      if (s !== undefined && t >= minValidTime && head.applySample(s, t, v, stale)) applied++;
    });
  });
  head.options.chunks.flush();
  if (r.corruption !== undefined) repairTail(r.corruption, 'WBL', logger, metrics);
  logger.info('WBL replay completed', { samples: applied });
  return applied;
}

/** Truncates a log's torn or corrupt tail, counting and logging it; returns its description. */
function repairTail(corruption: WalCorruption, log: 'WAL' | 'WBL', logger: Logger, metrics: TsdbMetrics): string {
  metrics.walCorruptions.inc();
  const { truncatedBytes, deletedSegments } = repairWal(corruption);
  logger.warn(`${log} has a torn or corrupt tail; truncated it and kept every record before it`, {
    segment: corruption.segment,
    offset: corruption.offset,
    reason: corruption.reason,
    truncatedBytes,
    deletedSegments,
  });
  return `segment ${segmentName(corruption.segment)} at offset ${corruption.offset}: ${corruption.reason}`;
}
