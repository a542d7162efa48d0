import { closeSync, existsSync, fstatSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { Labels } from '@pyrometer/model';
import type { Logger } from '@pyrometer/telemetry';
import { decodeSamples, decodeSeries, listCheckpoints, listSegments, readWal, recordType, RecordType, segmentName, type WalSampleVisitor } from '../format/index.js';
import { readRecordRange, type RecordSpan } from './segment-range.js';

/** A record boundary in a WAL: segment index and byte offset in that segment. */
export interface WalPosition {
  segment: number;
  offset: number;
}

/**
 * Receives what a {@link WalTail} reads, in WAL order, synchronously. A ref may be defined again
 * by a later series record; the latest definition wins.
 */
export interface WalTailHandler {
  /** `ref` names the series `labels` from now on. Called for series before the start position too. */
  series(ref: number, labels: Labels): void;
  /** A float sample of series `ref` (ms; `stale` marks a staleness marker). Only at or after the start. */
  sample(ref: number, t: number, v: number, stale: boolean): void;
}

export interface WalTailOptions {
  /** Where to start handing over samples; undefined: the current end of the WAL. */
  start: WalPosition | undefined;
  handler: WalTailHandler;
  logger: Logger;
  /** Bytes read from a segment at once (more when one record is larger). Default 1 MiB. */
  readSize: number;
}

/** What a tail had to skip. */
export interface WalTailStats {
  /** Segments whose samples were never handed over: checkpointed or deleted before they were read. */
  skippedSegments: number;
  /** Corrupt records: the rest of their (finished) segment is skipped; undecodable records alone. */
  corruptions: number;
}

/**
 * Follows the WAL directory written by the TSDB, as Prometheus's WAL watcher does: hands every
 * series definition and every float sample from a start position on to a handler, one record per
 * {@link WalTail.next} call, following segment rollovers. Series before the start (in the newest
 * checkpoint and the segments before the start) are read too, so later samples can be named.
 *
 * Only complete records are handed over: a record that cannot be read in the newest segment is
 * taken as not yet fully written and waited for; once a newer segment exists, it is corruption:
 * logged, counted, and the rest of its segment skipped. When the segment to read was checkpointed away, the newest checkpoint's
 * series are read and reading goes on after it, counting the skipped segments. Reads are
 * synchronous, positional and bounded by `readSize`. Not safe for concurrent use.
 */
export class WalTail {
  readonly stats: WalTailStats = { skippedSegments: 0, corruptions: 0 };
  /** Samples before this position are not handed over. */
  readonly start: WalPosition;
  private cursor: WalPosition;
  private fd: number | undefined;
  private fdSegment = -1;
  private records: RecordSpan[] = [];
  private nextRecord = 0;
  private readonly options: WalTailOptions;
  private readonly visitSample: WalSampleVisitor;

  /** Opens a tail of WAL directory `dir`; reading the newest checkpoint's series happens here. */
  constructor(readonly dir: string, options: Partial<WalTailOptions> & Pick<WalTailOptions, 'handler' | 'logger'>) {
    this.options = { start: undefined, readSize: 1024 * 1024, ...options };
    const handler = this.options.handler;
    this.visitSample = (ref, t, v, stale) => handler.sample(ref, t, v, stale);
    const segments = listSegments(dir);
    const last = segments.at(-1);
    let start = this.options.start;
    if (start !== undefined && last !== undefined && start.segment > last.index) {
      this.options.logger.warn('Position is beyond the end of the WAL; starting at its end', { segment: start.segment, last: last.index });
      start = undefined;
    }
    start ??= last === undefined ? { segment: 0, offset: 0 } : { segment: last.index, offset: last.size };
    const checkpoint = listCheckpoints(dir).at(-1);
    if (checkpoint !== undefined) this.readCheckpointSeries(checkpoint.dir);
    const first = Math.max(segments[0]?.index ?? start.segment, checkpoint === undefined ? 0 : checkpoint.index + 1);
    const startSegment = start.segment;
    const startExists = segments.some((s) => s.index === startSegment);
    if (!startExists && first > start.segment) {
      this.skip(start.segment, first);
      start = { segment: first, offset: 0 };
    }
    this.start = start;
    this.cursor = { segment: startExists ? Math.min(first, start.segment) : first, offset: 0 };
  }

  /**
   * Everything before this position has been handed over (or lay before the start). Resuming a new
   * tail from it hands over exactly what this one has not yet.
   */
  get position(): WalPosition {
    return before(this.cursor, this.start) ? this.start : { ...this.cursor };
  }

  /** The segment being read (Prometheus's `prometheus_wal_watcher_current_segment`). */
  get currentSegment(): number {
    return this.cursor.segment;
  }

  /** Hands over the next complete record; false when there is none yet. */
  next(): boolean {
    while (this.nextRecord >= this.records.length) {
      if (!this.fill()) return false;
    }
    const rec = this.records[this.nextRecord++]!;
    this.hand(rec);
    this.cursor.offset = rec.end;
    return true;
  }

  /** Closes the open segment file. */
  close(): void {
    this.closeSegment();
    this.records = [];
    this.nextRecord = 0;
  }

  private hand(rec: RecordSpan): void {
    const handler = this.options.handler;
    try {
      switch (recordType(rec.data)) {
        case RecordType.Series:
          for (const s of decodeSeries(rec.data)) handler.series(s.ref, s.labels);
          break;
        case RecordType.Samples:
          if (!before({ segment: this.cursor.segment, offset: rec.start }, this.start)) decodeSamples(rec.data, this.visitSample);
          break;
      }
    } catch (err) {
      this.stats.corruptions++;
      this.options.logger.error('Skipping undecodable WAL record', { segment: this.cursor.segment, offset: rec.start, err: err as Error });
    }
  }

  /** Reads the next records into the buffer; false when the WAL has nothing more yet. */
  private fill(): boolean {
    let readSize = this.options.readSize;
    for (;;) {
      const fd = this.openSegment();
      if (fd === undefined) {
        if (!this.recoverMissingSegment()) return false;
        continue;
      }
      const { segment, offset } = this.cursor;
      const size = fstatSync(fd).size;
      if (offset < size) {
        const r = readRecordRange(fd, segment, offset, size, readSize);
        if (r.records.length > 0) {
          this.records = r.records;
          this.nextRecord = 0;
          return true;
        }
        if (r.next > offset) {
          this.cursor.offset = r.next;
          continue;
        }
        if (!r.atFileEnd) {
          readSize *= 2;
          continue;
        }
        // Stuck at the end of the file: a record not yet fully written, unless the segment is finished.
        if (!this.finished(fd, size)) return false;
        this.stats.corruptions++;
        this.options.logger.error('Corrupt WAL record; skipping the rest of the segment', { segment, offset, reason: r.failure });
        this.moveTo(segment + 1);
        continue;
      }
      if (!this.finished(fd, size)) return false;
      this.moveTo(segment + 1);
    }
  }

  /** A segment is finished when a newer one exists and it has not grown since `size` was taken. */
  private finished(fd: number, size: number): boolean {
    return existsSync(join(this.dir, segmentName(this.cursor.segment + 1))) && fstatSync(fd).size === size;
  }

  /** The cursor's segment file, opened; undefined when it does not exist. */
  private openSegment(): number | undefined {
    if (this.fdSegment === this.cursor.segment) return this.fd;
    this.closeSegment();
    try {
      this.fd = openSync(join(this.dir, segmentName(this.cursor.segment)), 'r');
      this.fdSegment = this.cursor.segment;
      return this.fd;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /**
   * The cursor's segment is gone: continues after the newest checkpoint covering it (reading its
   * series) or at the next segment that exists. False when the segment is simply not written yet.
   */
  private recoverMissingSegment(): boolean {
    const missing = this.cursor.segment;
    const checkpoint = listCheckpoints(this.dir).at(-1);
    if (checkpoint !== undefined && checkpoint.index >= missing) {
      this.readCheckpointSeries(checkpoint.dir);
      this.skip(missing, checkpoint.index + 1);
      this.moveTo(checkpoint.index + 1);
      return true;
    }
    const later = listSegments(this.dir).find((s) => s.index > missing);
    if (later === undefined) return false;
    this.skip(missing, later.index);
    this.moveTo(later.index);
    return true;
  }

  private readCheckpointSeries(dir: string): void {
    const r = readWal(dir, (rec) => {
      if (recordType(rec) === RecordType.Series) for (const s of decodeSeries(rec)) this.options.handler.series(s.ref, s.labels);
    });
    if (r.corruption !== undefined) {
      this.stats.corruptions++;
      this.options.logger.error('Corrupt WAL checkpoint; its remaining series are unknown', { dir, reason: r.corruption.reason });
    }
  }

  private skip(from: number, to: number): void {
    if (to <= from) return;
    this.stats.skippedSegments += to - from;
    this.options.logger.warn('WAL segments were removed before they were read; their samples are skipped', { from, to: to - 1 });
  }

  private moveTo(segment: number): void {
    this.cursor = { segment, offset: 0 };
    this.records = [];
    this.nextRecord = 0;
  }

  private closeSegment(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.fdSegment = -1;
  }
}

function before(a: WalPosition, b: WalPosition): boolean {
  return a.segment < b.segment || (a.segment === b.segment && a.offset < b.offset);
}
