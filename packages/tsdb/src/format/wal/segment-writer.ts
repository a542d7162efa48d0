import { closeSync, fsync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { misuseError } from '../errors.js';
import { syncDir } from '../fs-util.js';
import { crc32c, snappyEncode } from '@pyrometer/codec';
import { listSegments, segmentName, WAL_DEFAULT_SEGMENT_SIZE, WAL_PAGE_SIZE, WAL_RECORD_HEADER_SIZE } from './segments.js';

const fsyncAsync = promisify(fsync);

/** Fragment types in the low 3 bits of a fragment's first byte. */
export const FragmentType = { PageTerm: 0, Full: 1, First: 2, Middle: 3, Last: 4 } as const;
/** Flag bits in a fragment's type byte marking a compressed record. */
export const SNAPPY_FLAG = 0x08;
export const ZSTD_FLAG = 0x10;

export interface SegmentWriterOptions {
  /** Maximum segment size in bytes, a multiple of the 32 KiB page size (default 128 MiB). */
  segmentSize: number;
  /**
   * Snappy-compress each record when that makes it smaller, flagging its fragments (Prometheus's
   * `--storage.tsdb.wal-compression`, on by default there). Default false: it costs CPU per record
   * and saves little on sample records; series records shrink several-fold.
   */
  compress: boolean;
}

export function defaultSegmentWriterOptions(): SegmentWriterOptions {
  return { segmentSize: WAL_DEFAULT_SEGMENT_SIZE, compress: false };
}

/**
 * Appends records to a WAL directory in Prometheus's segment format. Like Prometheus it never
 * appends to an existing segment: `open` starts segment last+1. `log` is synchronous: when it
 * returns, the records are in the OS page cache (they survive a crash of this process, not of the
 * machine); `sync` makes them durable. A record never spans segments; a batch that does not fit
 * the current segment starts the next one (a single record larger than a segment gets a
 * larger segment). One writer per directory; not safe for concurrent use.
 */
export class SegmentWriter {
  private readonly page = Buffer.alloc(WAL_PAGE_SIZE);
  /** Bytes of the page in use. */
  private alloc = 0;
  /** Bytes of the page already written to the file. */
  private flushed = 0;
  /** Pages of the current segment already completed. */
  private donePages = 0;
  private fd = -1;
  private segment = -1;
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly options: SegmentWriterOptions,
  ) {
    if (options.segmentSize % WAL_PAGE_SIZE !== 0 || options.segmentSize < WAL_PAGE_SIZE) {
      throw misuseError(`WAL segment size ${options.segmentSize} is not a positive multiple of ${WAL_PAGE_SIZE}`);
    }
  }

  /** Opens `dir` (created if missing) and starts a new segment after the last existing one. */
  static open(dir: string, options: Partial<SegmentWriterOptions> = {}): SegmentWriter {
    mkdirSync(dir, { recursive: true });
    const w = new SegmentWriter(dir, { ...defaultSegmentWriterOptions(), ...options });
    const existing = listSegments(dir);
    w.startSegment(existing.length === 0 ? 0 : existing[existing.length - 1]!.index + 1);
    return w;
  }

  /** Index of the segment being written. */
  get currentSegment(): number {
    return this.segment;
  }

  /** Bytes written to the current segment so far, including the partial page. */
  get segmentBytes(): number {
    return this.donePages * WAL_PAGE_SIZE + this.alloc;
  }

  /**
   * Appends records (opaque bytes, typically from the record codecs) as one batch and writes them
   * to the file. An empty record is allowed and is read back as an empty record.
   */
  log(records: readonly Uint8Array[]): void {
    this.assertOpen();
    for (let i = 0; i < records.length; i++) this.logOne(records[i]!);
    if (this.alloc > this.flushed) this.flushPage(false);
  }

  /** Makes everything logged so far durable (fsync of the current segment, off the main thread). */
  async sync(): Promise<void> {
    this.assertOpen();
    await fsyncAsync(this.fd);
  }

  /**
   * Closes the current segment (its last page padded with zeros, fsynced) and starts the next.
   * Returns the new segment's index. The engine calls this before a checkpoint, as Prometheus does.
   */
  nextSegment(): number {
    this.assertOpen();
    this.finishSegment();
    this.startSegment(this.segment + 1);
    return this.segment;
  }

  /** Pads the last page, fsyncs and closes. The writer cannot be used afterwards. */
  close(): void {
    if (this.closed) return;
    this.finishSegment();
    this.closed = true;
  }

  private logOne(rec: Uint8Array): void {
    let flag = 0;
    if (this.options.compress && rec.length > 0) {
      const compressed = snappyEncode(rec);
      if (compressed.length < rec.length) {
        rec = compressed;
        flag = SNAPPY_FLAG;
      }
    }
    if (WAL_PAGE_SIZE - this.alloc < WAL_RECORD_HEADER_SIZE) this.flushPage(true);
    const pagesPerSegment = this.options.segmentSize / WAL_PAGE_SIZE;
    const left = WAL_PAGE_SIZE - this.alloc - WAL_RECORD_HEADER_SIZE + (WAL_PAGE_SIZE - WAL_RECORD_HEADER_SIZE) * (pagesPerSegment - this.donePages - 1);
    if (rec.length > left && this.segmentBytes > 0) this.nextSegment();
    let off = 0;
    for (let i = 0; i === 0 || off < rec.length; i++) {
      const room = WAL_PAGE_SIZE - this.alloc - WAL_RECORD_HEADER_SIZE;
      const l = Math.min(rec.length - off, room);
      const isLast = off + l === rec.length;
      const type = i === 0 ? (isLast ? FragmentType.Full : FragmentType.First) : isLast ? FragmentType.Last : FragmentType.Middle;
      const p = this.page;
      p[this.alloc] = type | flag;
      p.writeUInt16BE(l, this.alloc + 1);
      p.writeUInt32BE(crc32c(rec, 0, off, off + l), this.alloc + 3);
      p.set(rec.subarray(off, off + l), this.alloc + WAL_RECORD_HEADER_SIZE);
      this.alloc += WAL_RECORD_HEADER_SIZE + l;
      off += l;
      if (WAL_PAGE_SIZE - this.alloc < WAL_RECORD_HEADER_SIZE) this.flushPage(true);
    }
  }

  /** Writes the unwritten part of the page; `complete` pads it to its end and starts a new page. */
  private flushPage(complete: boolean): void {
    if (complete) this.alloc = WAL_PAGE_SIZE;
    let pos = this.flushed;
    while (pos < this.alloc) pos += writeSync(this.fd, this.page, pos, this.alloc - pos);
    this.flushed = this.alloc;
    if (complete) {
      this.page.fill(0);
      this.alloc = 0;
      this.flushed = 0;
      this.donePages++;
    }
  }

  private finishSegment(): void {
    if (this.alloc > 0) this.flushPage(true);
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
  }

  private startSegment(index: number): void {
    this.fd = openSync(join(this.dir, segmentName(index)), 'wx');
    syncDir(this.dir);
    this.segment = index;
    this.donePages = 0;
    this.alloc = 0;
    this.flushed = 0;
    this.page.fill(0);
  }

  private assertOpen(): void {
    if (this.closed) throw misuseError(`WAL writer for ${this.dir} is closed`);
  }
}
