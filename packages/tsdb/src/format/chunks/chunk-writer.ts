import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { misuseError } from '../errors.js';
import { crc32c } from '@pyrometer/codec';
import { EncodeBuffer } from '../encoding/encode-buffer.js';

/** First 4 bytes of every chunk segment file. */
export const CHUNKS_MAGIC = 0x85bd40dd;
/** Chunk segment files hold at most 512 MiB (a single larger chunk gets its own file). */
export const CHUNKS_DEFAULT_SEGMENT_SIZE = 512 * 1024 * 1024;
/** Segment header: magic (4), version 1 (1), padding (3). */
export const CHUNKS_HEADER_SIZE = 8;

/** A chunk reference in a block: segment sequence (0-based position among the files) << 32 | offset. */
export function chunkRef(segment: number, offset: number): number {
  return segment * 4294967296 + offset;
}

/** The file name of the `seq`-th (0-based) chunk segment: `000001` for the first. */
export function chunkSegmentName(seq: number): string {
  return String(seq + 1).padStart(6, '0');
}

/**
 * Writes a block's `chunks/` directory: segment files `000001`, `000002`, … each starting with the
 * 8-byte header, then chunks as uvarint(len(data)), encoding byte, data, CRC32C(encoding + data).
 * `write` returns the chunk's reference for the index. `close` fsyncs and closes; the directory
 * itself is fsynced by the block writer. One owner, synchronous.
 */
export class ChunkSegmentWriter {
  private readonly buf = new EncodeBuffer(1 << 20);
  private fd = -1;
  private seq = -1;
  private fileSize = 0;

  constructor(
    private readonly dir: string,
    private readonly segmentSize = CHUNKS_DEFAULT_SEGMENT_SIZE,
  ) {}

  write(encoding: number, data: Uint8Array): number {
    const size = 5 + 1 + data.length + 4;
    if (this.fd < 0 || (this.fileSize + size > this.segmentSize && this.fileSize > CHUNKS_HEADER_SIZE)) this.cut();
    const offset = this.fileSize;
    const b = this.buf;
    const before = b.length;
    b.putUvarint(data.length);
    const crcStart = b.length;
    b.putByte(encoding);
    b.putBytes(data);
    b.putBE32(crc32c(b.bytes(), 0, crcStart, b.length));
    this.fileSize += b.length - before;
    if (b.length >= 1 << 20) this.flush();
    return chunkRef(this.seq, offset);
  }

  close(): void {
    if (this.fd >= 0) this.finish();
  }

  private cut(): void {
    if (this.fd >= 0) this.finish();
    this.seq++;
    if (this.seq > 0xffffffff) throw misuseError('too many chunk segment files');
    this.fd = openSync(join(this.dir, chunkSegmentName(this.seq)), 'wx');
    this.buf.reset();
    this.buf.putBE32(CHUNKS_MAGIC);
    this.buf.putByte(1);
    this.buf.putByte(0);
    this.buf.putByte(0);
    this.buf.putByte(0);
    this.fileSize = CHUNKS_HEADER_SIZE;
  }

  private flush(): void {
    const bytes = this.buf.bytes();
    let pos = 0;
    while (pos < bytes.length) pos += writeSync(this.fd, bytes, pos, bytes.length - pos);
    this.buf.reset();
  }

  private finish(): void {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
  }
}
