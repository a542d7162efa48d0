import { readSync } from 'node:fs';
import { crc32c } from '@pyrometer/codec';
import { readSegment, WAL_PAGE_SIZE } from '../format/index.js';

/** A complete record read from a segment: its bytes and where it starts and ends (byte offsets). */
export interface RecordSpan {
  data: Uint8Array;
  start: number;
  /** Where the next record may begin: a record boundary to resume from. */
  end: number;
}

/** The complete records found in a byte range of a segment. */
export interface RangeRead {
  records: RecordSpan[];
  /** The record boundary where reading stopped (after the last complete record and any padding). */
  next: number;
  /** Why the record at `next` could not be read: cut off by the range's end, torn, or corrupt. */
  failure: string | undefined;
  /** True when the range ran to the end of the file. */
  atFileEnd: boolean;
}

const FULL_FRAGMENT = 1;
const FRAGMENT_HEADER_SIZE = 7;

/**
 * Reads the complete records of segment file `fd` starting at the record boundary `offset`, from
 * about `maxBytes` bytes (page-aligned, never past `fileSize`). Validation is the segment reader's;
 * only whole pages can be handed to it, so the bytes of the first page before `offset` are
 * disguised as one full fragment, read and ignored — those bytes always hold at least one fragment
 * header, as fragments never cross a page.
 */
export function readRecordRange(fd: number, segment: number, offset: number, fileSize: number, maxBytes: number): RangeRead {
  const pageStart = offset - (offset % WAL_PAGE_SIZE);
  const end = Math.min(fileSize, pageStart + Math.ceil((offset - pageStart + maxBytes) / WAL_PAGE_SIZE) * WAL_PAGE_SIZE);
  const buf = Buffer.allocUnsafe(end - pageStart);
  for (let done = 0; done < buf.length; ) {
    const n = readSync(fd, buf, done, buf.length - done, pageStart + done);
    if (n === 0) throw new Error(`WAL segment ${segment} shrank while reading at offset ${pageStart + done}`);
    done += n;
  }
  const skip = offset - pageStart;
  if (skip > 0) disguiseAsFragment(buf, skip);
  const records: RecordSpan[] = [];
  const result = readSegment(buf, segment, (data, _segment, start) => {
    if (start < skip) return;
    const last = records.at(-1);
    if (last !== undefined) last.end = pageStart + start;
    // Records of one fragment are views into `buf`; joined ones live in the reader's reused buffer.
    records.push({ data: data.buffer === buf.buffer ? data : data.slice(), start: pageStart + start, end });
  });
  const next = result.corruption === undefined ? end : pageStart + result.corruption.offset;
  const last = records.at(-1);
  if (last !== undefined) last.end = next;
  return { records, next: Math.max(next, offset), failure: result.corruption?.reason, atFileEnd: end === fileSize };
}

/** Overwrites the header at the start of `buf` with a valid full fragment covering `length` bytes. */
function disguiseAsFragment(buf: Buffer, length: number): void {
  const payload = length - FRAGMENT_HEADER_SIZE;
  buf[0] = FULL_FRAGMENT;
  buf.writeUInt16BE(payload, 1);
  buf.writeUInt32BE(crc32c(buf, 0, FRAGMENT_HEADER_SIZE, length), 3);
}
