import { readFileSync } from 'node:fs';
import { crc32c } from '@pyrometer/codec';
import { FragmentType, SNAPPY_FLAG, ZSTD_FLAG } from './segment-writer.js';
import { listSegments, WAL_PAGE_SIZE, WAL_RECORD_HEADER_SIZE } from './segments.js';
import { snappyDecode } from '@pyrometer/codec';

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

/**
 * Called once per record, in order. `data` is the record's bytes (decompressed if it was
 * compressed); it may be a view into a segment buffer: read it during the call or copy it.
 */
export type WalRecordVisitor = (data: Uint8Array, segment: number, offset: number) => void;

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
}

/**
 * Reads every record of the WAL (or checkpoint) directory `dir`, segment by segment, calling
 * `visit` for each. Stops at the first torn or corrupt record and reports it as `corruption`
 * instead of throwing, so the caller can decide to repair; errors thrown by `visit` propagate.
 * Each segment is read whole into memory (at most the segment size, 128 MiB by default).
 */
export function readWal(dir: string, visit: WalRecordVisitor, options: Partial<WalReadOptions> = {}): WalReadResult {
  const from = options.from ?? -Infinity;
  const to = options.to ?? Infinity;
  const segments = listSegments(dir).filter((s) => s.index >= from && s.index <= to);
  const result: WalReadResult = { records: 0, firstSegment: segments[0]?.index ?? -1, lastSegment: segments.at(-1)?.index ?? -1 };
  for (const seg of segments) {
    const r = readSegment(readFileSync(seg.path), seg.index, visit);
    result.records += r.records;
    if (r.corruption !== undefined) {
      result.corruption = { dir, segment: seg.index, offset: r.corruption.offset, reason: r.corruption.reason };
      result.lastSegment = seg.index;
      break;
    }
  }
  return result;
}

/**
 * Decodes the records of one segment's bytes. A segment may end anywhere (a short last page is
 * read as if zero-padded, as Prometheus does); a record cut off by the end is reported as
 * corruption at its first fragment.
 */
export function readSegment(buf: Uint8Array, segment: number, visit: WalRecordVisitor): { records: number; corruption?: { offset: number; reason: string } } {
  let records = 0;
  let pos = 0;
  let recStart = -1;
  let compressed = false;
  const parts: Uint8Array[] = [];
  const fail = (reason: string): { records: number; corruption: { offset: number; reason: string } } => ({
    records,
    corruption: { offset: recStart >= 0 ? recStart : pos, reason: `segment ${segment}: ${reason}` },
  });
  while (pos < buf.length) {
    const typeByte = buf[pos]!;
    const type = typeByte & 7;
    if (type === FragmentType.PageTerm) {
      const pageEnd = Math.min(buf.length, (Math.floor(pos / WAL_PAGE_SIZE) + 1) * WAL_PAGE_SIZE);
      for (let i = pos; i < pageEnd; i++) {
        if (buf[i] !== 0) return fail(`non-zero byte at offset ${i} in page padding`);
      }
      pos = pageEnd;
      continue;
    }
    const fragStart = pos;
    if (type > FragmentType.Last) return fail(`unknown fragment type ${type} at offset ${pos}`);
    if ((pos % WAL_PAGE_SIZE) + WAL_RECORD_HEADER_SIZE > WAL_PAGE_SIZE) return fail(`fragment header at offset ${pos} crosses a page boundary`);
    if (pos + WAL_RECORD_HEADER_SIZE > buf.length) return fail(`torn fragment header at offset ${pos}`);
    const length = (buf[pos + 1]! << 8) | buf[pos + 2]!;
    const crc = ((buf[pos + 3]! << 24) | (buf[pos + 4]! << 16) | (buf[pos + 5]! << 8) | buf[pos + 6]!) >>> 0;
    const dataStart = pos + WAL_RECORD_HEADER_SIZE;
    if (dataStart + length > (Math.floor(pos / WAL_PAGE_SIZE) + 1) * WAL_PAGE_SIZE) return fail(`fragment at offset ${pos} claims ${length} bytes, more than its page holds`);
    if (dataStart + length > buf.length) return fail(`torn fragment at offset ${pos}: ${length} bytes announced, ${buf.length - dataStart} present`);
    const actual = crc32c(buf, 0, dataStart, dataStart + length);
    if (actual !== crc) return fail(`checksum mismatch in fragment at offset ${pos}: stored ${crc.toString(16)}, computed ${actual.toString(16)}`);
    const starts = type === FragmentType.Full || type === FragmentType.First;
    if (starts !== (recStart < 0)) return fail(`unexpected ${type === FragmentType.Full ? 'full' : type === FragmentType.First ? 'first' : type === FragmentType.Middle ? 'middle' : 'last'} fragment at offset ${pos}`);
    if (starts) {
      recStart = fragStart;
      compressed = (typeByte & (SNAPPY_FLAG | ZSTD_FLAG)) !== 0;
      if ((typeByte & ZSTD_FLAG) !== 0) return fail(`zstd-compressed record at offset ${pos} is not supported`);
    }
    parts.push(buf.subarray(dataStart, dataStart + length));
    pos = dataStart + length;
    if (type === FragmentType.Full || type === FragmentType.Last) {
      let rec = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      if (compressed) {
        try {
          rec = snappyDecode(rec, `snappy record in segment ${segment} at offset ${recStart}`);
        } catch (err) {
          return fail((err as Error).message);
        }
      }
      visit(rec, segment, recStart);
      records++;
      parts.length = 0;
      recStart = -1;
    }
  }
  if (recStart >= 0) return fail(`record starting at offset ${recStart} is incomplete at the end of the segment`);
  return { records };
}
