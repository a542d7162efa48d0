import { crc32c, snappyDecode } from '@pyrometer/codec';
import { misuseError } from '../errors.js';
import { FragmentType, SNAPPY_FLAG, ZSTD_FLAG } from './segment-writer.js';
import { WAL_PAGE_SIZE, WAL_RECORD_HEADER_SIZE } from './segments.js';

/**
 * Called once per record, in order. `data` is the record's bytes (decompressed if it was
 * compressed); it is a view into a buffer the reader reuses: read it during the call or copy it.
 */
export type WalRecordVisitor = (data: Uint8Array, segment: number, offset: number) => void;

/** Where and why a segment stopped being readable; `offset` is where the broken record begins. */
export interface SegmentCorruption {
  offset: number;
  reason: string;
}

const FRAGMENT_NAMES = ['page padding', 'full', 'first', 'middle', 'last'] as const;

/**
 * Turns one segment's bytes, fed in order as page-aligned pieces, into records: checks each
 * fragment's header and CRC32C, joins first/middle/last fragments (in a buffer reused across
 * records) and decompresses snappy records. A piece other than the last must end on a page
 * boundary, so no fragment straddles two pieces. Memory stays bounded by the piece size plus the
 * largest record. Stops at the first corruption: `feed` and `finish` return it and nothing more is
 * decoded. Errors thrown by the visitor propagate.
 */
export class SegmentDecoder {
  /** Records passed to the visitor so far. */
  records = 0;
  /** Where the next piece starts in the segment. */
  private base = 0;
  private recStart = -1;
  private compressed = false;
  private assembly = new Uint8Array(0);
  private assembled = 0;
  private broken: SegmentCorruption | undefined;

  constructor(
    readonly segment: number,
    private readonly visit: WalRecordVisitor,
  ) {}

  /** Decodes the next piece of the segment; returns the corruption that stopped decoding, if any. */
  feed(buf: Uint8Array): SegmentCorruption | undefined {
    if (this.broken !== undefined) return this.broken;
    if (this.base % WAL_PAGE_SIZE !== 0) throw misuseError(`segment ${this.segment}: a piece was fed after one that did not end on a page boundary (offset ${this.base})`);
    const base = this.base;
    let pos = 0;
    while (pos < buf.length) {
      const typeByte = buf[pos]!;
      const type = typeByte & 7;
      const pageEnd = (Math.floor((base + pos) / WAL_PAGE_SIZE) + 1) * WAL_PAGE_SIZE - base;
      if (type === FragmentType.PageTerm) {
        const end = Math.min(buf.length, pageEnd);
        for (let i = pos; i < end; i++) {
          if (buf[i] !== 0) return this.fail(base + pos, `non-zero byte at offset ${base + i} in page padding`);
        }
        pos = end;
        continue;
      }
      const at = base + pos;
      if (type > FragmentType.Last) return this.fail(at, `unknown fragment type ${type} at offset ${at}`);
      if (pos + WAL_RECORD_HEADER_SIZE > pageEnd) return this.fail(at, `fragment header at offset ${at} crosses a page boundary`);
      if (pos + WAL_RECORD_HEADER_SIZE > buf.length) return this.fail(at, `torn fragment header at offset ${at}`);
      const length = (buf[pos + 1]! << 8) | buf[pos + 2]!;
      const crc = ((buf[pos + 3]! << 24) | (buf[pos + 4]! << 16) | (buf[pos + 5]! << 8) | buf[pos + 6]!) >>> 0;
      const dataStart = pos + WAL_RECORD_HEADER_SIZE;
      const dataEnd = dataStart + length;
      if (dataEnd > pageEnd) return this.fail(at, `fragment at offset ${at} claims ${length} bytes, more than its page holds`);
      if (dataEnd > buf.length) return this.fail(at, `torn fragment at offset ${at}: ${length} bytes announced, ${buf.length - dataStart} present`);
      const actual = crc32c(buf, 0, dataStart, dataEnd);
      if (actual !== crc) return this.fail(at, `checksum mismatch in fragment at offset ${at}: stored ${crc.toString(16)}, computed ${actual.toString(16)}`);
      const starts = type === FragmentType.Full || type === FragmentType.First;
      if (starts !== (this.recStart < 0)) return this.fail(at, `unexpected ${FRAGMENT_NAMES[type]!} fragment at offset ${at}`);
      if (starts) {
        this.recStart = at;
        this.compressed = (typeByte & (SNAPPY_FLAG | ZSTD_FLAG)) !== 0;
        if ((typeByte & ZSTD_FLAG) !== 0) return this.fail(at, `zstd-compressed record at offset ${at} is not supported`);
      }
      pos = dataEnd;
      if (type === FragmentType.Full) {
        if (!this.emit(buf.subarray(dataStart, dataEnd))) return this.broken;
      } else {
        this.append(buf, dataStart, dataEnd);
        if (type === FragmentType.Last && !this.emit(this.assembly.subarray(0, this.assembled))) return this.broken;
      }
    }
    this.base = base + buf.length;
    return undefined;
  }

  /** Call after the last piece: reports a record cut off by the end of the segment. */
  finish(): SegmentCorruption | undefined {
    if (this.broken !== undefined) return this.broken;
    if (this.recStart >= 0) return this.fail(this.recStart, `record starting at offset ${this.recStart} is incomplete at the end of the segment`);
    return undefined;
  }

  private append(buf: Uint8Array, start: number, end: number): void {
    const need = this.assembled + end - start;
    if (need > this.assembly.length) {
      const grown = new Uint8Array(Math.max(need, this.assembly.length * 2, 64 * 1024));
      grown.set(this.assembly.subarray(0, this.assembled));
      this.assembly = grown;
    }
    this.assembly.set(buf.subarray(start, end), this.assembled);
    this.assembled = need;
  }

  /** Hands a complete record to the visitor; false when it could not be decompressed. */
  private emit(rec: Uint8Array): boolean {
    const start = this.recStart;
    let data = rec;
    if (this.compressed) {
      try {
        data = snappyDecode(rec, `snappy record in segment ${this.segment} at offset ${start}`);
      } catch (err) {
        this.fail(start, (err as Error).message);
        return false;
      }
    }
    this.recStart = -1;
    this.assembled = 0;
    this.records++;
    this.visit(data, this.segment, start);
    return true;
  }

  private fail(offset: number, reason: string): SegmentCorruption {
    this.broken = { offset: this.recStart >= 0 ? this.recStart : offset, reason: `segment ${this.segment}: ${reason}` };
    return this.broken;
  }
}
