import { closeSync, openSync, readSync } from 'node:fs';
import { SegmentDecoder, type SegmentCorruption, type WalRecordVisitor } from './segment-decoder.js';
import { listSegments, WAL_PAGE_SIZE } from './segments.js';

export type { WalRecordVisitor } from './segment-decoder.js';

/**
 * Where a WAL stops being readable. `offset` is the byte offset in `segment` where the broken
 * record begins: truncating the segment there (and deleting later segments) keeps every record
 * before it, which is what {@link repairWal} does. `reason` says what was wrong and where.
 */
export interface WalCorruption {
  dir: string;
  segment: number;
  offset: number;
  reason: string;
}

export interface WalReadResult {
  records: number;
  /** First and last segment index read, or -1 when there were none. */
  firstSegment: number;
  lastSegment: number;
  /** Set when reading stopped early at a torn or corrupt record. */
  corruption?: WalCorruption;
}

export interface WalReadOptions {
  /** Read segments with index ≥ from (default: all). */
  from: number;
  /** Read segments with index ≤ to (default: all). */
  to: number;
  /** Called after each segment was read, e.g. to log progress (`last` is the highest index to read). */
  onSegment: ((segment: number, last: number) => void) | undefined;
}

/** Segments are read in pieces of this many bytes (128 pages): memory stays bounded, reads stay large. */
export const WAL_READ_PIECE_SIZE = 128 * WAL_PAGE_SIZE;

/**
 * Reads every record of the WAL (or checkpoint) directory `dir`, segment by segment, calling
 * `visit` for each. Stops at the first torn or corrupt record and reports it as `corruption`
 * instead of throwing, so the caller can decide to repair; errors thrown by `visit` propagate.
 * Segments are streamed in {@link WAL_READ_PIECE_SIZE} pieces through one reused buffer.
 */
export function readWal(dir: string, visit: WalRecordVisitor, options: Partial<WalReadOptions> = {}): WalReadResult {
  const from = options.from ?? -Infinity;
  const to = options.to ?? Infinity;
  const segments = listSegments(dir).filter((s) => s.index >= from && s.index <= to);
  const last = segments.at(-1)?.index ?? -1;
  const result: WalReadResult = { records: 0, firstSegment: segments[0]?.index ?? -1, lastSegment: last };
  const piece = new Uint8Array(WAL_READ_PIECE_SIZE);
  for (const seg of segments) {
    const r = readSegmentFile(seg.path, seg.index, visit, piece);
    result.records += r.records;
    if (r.corruption !== undefined) {
      result.corruption = { dir, segment: seg.index, offset: r.corruption.offset, reason: r.corruption.reason };
      result.lastSegment = seg.index;
      break;
    }
    options.onSegment?.(seg.index, last);
  }
  return result;
}

/**
 * Decodes the records of one segment file (index `segment`) as {@link readSegment} does, streaming
 * it through `piece` (whose length must be a multiple of the page size; default a fresh
 * {@link WAL_READ_PIECE_SIZE} buffer). Reads up to the file's end at the time of reading.
 */
export function readSegmentFile(
  path: string,
  segment: number,
  visit: WalRecordVisitor,
  piece = new Uint8Array(WAL_READ_PIECE_SIZE),
): { records: number; corruption?: SegmentCorruption } {
  const decoder = new SegmentDecoder(segment, visit);
  const fd = openSync(path, 'r');
  try {
    for (let offset = 0; ; ) {
      const n = readFully(fd, piece, offset);
      const corruption = n === 0 ? undefined : decoder.feed(piece.subarray(0, n));
      if (corruption !== undefined) return { records: decoder.records, corruption };
      offset += n;
      if (n < piece.length) break;
    }
  } finally {
    closeSync(fd);
  }
  const corruption = decoder.finish();
  return corruption === undefined ? { records: decoder.records } : { records: decoder.records, corruption };
}

/**
 * Decodes the records of one segment's bytes. A segment may end anywhere (a short last page is
 * read as if zero-padded, as Prometheus does); a record cut off by the end is reported as
 * corruption at its first fragment.
 */
export function readSegment(buf: Uint8Array, segment: number, visit: WalRecordVisitor): { records: number; corruption?: SegmentCorruption } {
  const decoder = new SegmentDecoder(segment, visit);
  const corruption = decoder.feed(buf) ?? decoder.finish();
  return corruption === undefined ? { records: decoder.records } : { records: decoder.records, corruption };
}

/** Reads into `buf` from file position `position` until it is full or the file ends; returns the bytes read. */
function readFully(fd: number, buf: Uint8Array, position: number): number {
  let n = 0;
  while (n < buf.length) {
    const got = readSync(fd, buf, n, buf.length - n, position + n);
    if (got === 0) break;
    n += got;
  }
  return n;
}
