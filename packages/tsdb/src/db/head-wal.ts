import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from '@pyrometer/telemetry';
import {
  decodeSamples,
  decodeSeries,
  decodeTombstones,
  EncodeBuffer,
  encodeSampleColumns,
  encodeSamples,
  encodeSeries,
  encodeTombstones,
  listCheckpoints,
  listSegments,
  readWal,
  recordType,
  RecordType,
  SegmentWriter,
  segmentName,
  writeCheckpoint,
  type WalSample,
  type WalTombstone,
} from '../format/index.js';
import type { CommitBatch, Head } from '../head/head.js';
import type { TsdbMetrics } from './metrics.js';
import { replayWal, replayWbl, type MappedChunksBySeries } from './wal-replay.js';

/** Samples per record when the WBL's live samples are rewritten (records stay well below a segment). */
const WBL_RECORD_SAMPLES = 100_000;

/** What replaying a WAL found. */
export interface ReplayResult {
  series: number;
  samples: number;
  /** Out-of-order samples replayed from the WBL. */
  oooSamples: number;
  /** Human-readable description of a torn or corrupt tail that was truncated, if any. */
  repaired: string | undefined;
}

/**
 * The head's write-ahead logs in Prometheus's format: in `wal/`, series records for new series and
 * one samples record per commit with its in-order samples; in `wbl/` (the write-behind log, created
 * with the first out-of-order sample), a samples record with the commit's out-of-order samples.
 * Both are written synchronously (into the OS page cache) before the batch becomes visible, so a
 * crash of the process loses no acknowledged sample. Owned by the DB.
 */
export class HeadWal {
  private readonly buf = new EncodeBuffer();
  private wbl: SegmentWriter | undefined;

  private constructor(
    readonly dir: string,
    private writer: SegmentWriter,
    private readonly segmentSize: number,
    private readonly metrics: TsdbMetrics,
    /** The WBL directory (`wbl/` beside `wal/`). */
    readonly wblDir: string,
  ) {}

  /**
   * Replays `dir` (latest checkpoint, then the segments after it) into `head`, with the series'
   * chunks from `chunks_head/` (`mapped`), truncating a torn or corrupt tail with a warning, then
   * opens a writer on a fresh segment.
   */
  static open(dir: string, head: Head, options: { segmentSize: number; mapped: MappedChunksBySeries; logger: Logger; metrics: TsdbMetrics }): { wal: HeadWal; replay: ReplayResult } {
    const replay = replayWal(dir, head, options.mapped, options.logger, options.metrics);
    const wblDir = join(dirname(dir), 'wbl');
    const wal = new HeadWal(dir, SegmentWriter.open(dir, { segmentSize: options.segmentSize }), options.segmentSize, options.metrics, wblDir);
    if (existsSync(wblDir)) {
      replay.oooSamples = replayWbl(wblDir, head, options.logger, options.metrics);
      wal.wbl = SegmentWriter.open(wblDir, { segmentSize: options.segmentSize });
    }
    return { wal, replay };
  }

  /**
   * Logs one commit (the head's `log` hook): its in-order samples to the WAL, its out-of-order
   * ones to the WBL (a crash between the two writes keeps the in-order part of a commit that was
   * not acknowledged). Throws when a write fails.
   */
  log(batch: CommitBatch): void {
    const records: Uint8Array[] = [];
    if (batch.newSeries.length > 0) {
      records.push(encodeSeries(batch.newSeries.map((s) => ({ ref: s.ref, labels: s.labels }))));
    }
    if (batch.oooCount < batch.n) records.push(this.encodeBatch(batch, false));
    try {
      if (records.length > 0) this.writer.log(records);
      if (batch.oooCount > 0) (this.wbl ??= SegmentWriter.open(this.wblDir, { segmentSize: this.segmentSize })).log([this.encodeBatch(batch, true)]);
    } catch (err) {
      this.metrics.walWritesFailed.inc();
      throw err;
    }
  }

  /** The batch's out-of-order (`ooo`) or in-order samples as one samples record. */
  private encodeBatch(batch: CommitBatch, ooo: boolean): Uint8Array {
    return encodeSampleColumns(batch, batch.oooCount === 0 ? undefined : batch.ooo, ooo, this.buf);
  }

  /**
   * After the head dropped samples older than `mint`: writes the out-of-order samples it still
   * holds to a new WBL segment and deletes the segments before it, so the WBL stays as small as
   * what the head holds (a crash in between only repeats samples, which replay ignores).
   */
  truncateWbl(head: Head): void {
    if (this.wbl === undefined) return;
    this.wbl.nextSegment();
    const keep: WalSample[] = [];
    for (const s of head.allSeries()) {
      const o = s.ooo;
      if (o !== undefined) for (let i = 0; i < o.ts.length; i++) keep.push({ ref: s.ref, t: o.ts[i]!, v: o.vs[i]!, stale: o.stale[i] === 1 });
    }
    for (let i = 0; i < keep.length; i += WBL_RECORD_SAMPLES) this.wbl.log([encodeSamples(keep.slice(i, i + WBL_RECORD_SAMPLES))]);
    const current = this.wbl.currentSegment;
    for (const seg of listSegments(this.wblDir)) if (seg.index < current) rmSync(join(this.wblDir, segmentName(seg.index)), { force: true });
  }

  /** Logs deletions of series ranges. */
  logTombstones(tombstones: readonly WalTombstone[]): void {
    if (tombstones.length > 0) this.writer.log([encodeTombstones(tombstones)]);
  }

  /** fsyncs the current segments. */
  async sync(): Promise<void> {
    const start = performance.now();
    await this.writer.sync();
    await this.wbl?.sync();
    this.metrics.walFsyncDuration.observe((performance.now() - start) / 1000);
  }

  get currentSegment(): number {
    return this.writer.currentSegment;
  }

  /**
   * After the head dropped samples older than `mint`: starts a new segment, rewrites the oldest
   * two thirds of the segments into a checkpoint keeping only live series, samples ≥ mint and
   * their tombstones (as Prometheus does), and deletes what the checkpoint replaced.
   */
  checkpoint(head: Head, mint: number, logger: Logger): void {
    this.writer.nextSegment();
    const segments = listSegments(this.dir);
    if (segments.length < 2) return;
    const first = segments[0]!.index;
    const current = this.writer.currentSegment;
    const last = first + Math.floor(((current - 1 - first) * 2) / 3);
    if (last < first) return;
    const records: Uint8Array[] = [];
    const keep = (rec: Uint8Array): void => {
      switch (recordType(rec)) {
        case RecordType.Series: {
          const live = decodeSeries(rec).filter((s) => head.seriesByRef(s.ref) !== undefined);
          if (live.length > 0) records.push(encodeSeries(live));
          break;
        }
        case RecordType.Samples: {
          const kept: WalSample[] = [];
          decodeSamples(rec, (ref, t, v, stale) => {
            if (t >= mint && head.seriesByRef(ref) !== undefined) kept.push({ ref, t, v, stale });
          });
          if (kept.length > 0) records.push(encodeSamples(kept));
          break;
        }
        case RecordType.Tombstones: {
          const live = decodeTombstones(rec).filter((t) => t.maxt >= mint && head.seriesByRef(t.ref) !== undefined);
          if (live.length > 0) records.push(encodeTombstones(live));
          break;
        }
      }
    };
    const previous = listCheckpoints(this.dir).at(-1);
    if (previous !== undefined) readWal(previous.dir, keep);
    readWal(this.dir, keep, { from: first, to: last });
    writeCheckpoint(this.dir, last, records, { segmentSize: this.segmentSize });
    for (const s of segments) if (s.index <= last) rmSync(join(this.dir, segmentName(s.index)), { force: true });
    for (const c of listCheckpoints(this.dir)) if (c.index < last) rmSync(c.dir, { recursive: true, force: true });
    this.metrics.checkpointCreations.inc();
    this.metrics.walTruncations.inc();
    logger.info('WAL checkpoint complete', { first, last, records: records.length });
  }

  close(): void {
    this.writer.close();
    this.wbl?.close();
  }
}
