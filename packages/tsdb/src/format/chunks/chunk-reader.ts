import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '@pyrometer/codec';
import { StorageError } from '@pyrometer/storage';
import { uvarintAt, uvarintSize } from '../encoding/varint.js';
import { corruptionError } from '../errors.js';
import type { PageCache } from '../io/page-cache.js';
import { PositionalFile, type FileHandle } from '../io/positional-file.js';
import { CHUNKS_HEADER_SIZE, CHUNKS_MAGIC } from './chunk-writer.js';

/** A chunk as stored: its encoding byte and its data (a view into a cached page, or a copy). */
export interface StoredChunk {
  encoding: number;
  data: Uint8Array;
}

/**
 * Reads chunks of a block's `chunks/` directory by reference, by position through the page cache:
 * nothing of the segment files is held beyond the cached pages. Immutable after open; safe to
 * share between concurrent queries. `close` closes the segment files it owns.
 */
export class ChunkSegmentReader {
  private constructor(
    private readonly dir: string,
    private readonly segments: PositionalFile[],
  ) {}

  /** Opens `dir` (a block's chunks directory) and checks every segment's header. */
  static open(dir: string, cache: PageCache): ChunkSegmentReader {
    const names = readdirSync(dir).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b));
    const segments: PositionalFile[] = [];
    try {
      for (const name of names) segments.push(checkHeader(PositionalFile.open(join(dir, name), cache)));
    } catch (err) {
      for (const s of segments) s.close();
      throw err;
    }
    return new ChunkSegmentReader(dir, segments);
  }

  /** A reader over segment files another reader in this process has open (never closes them). */
  static attach(dir: string, handles: readonly FileHandle[], cache: PageCache): ChunkSegmentReader {
    return new ChunkSegmentReader(dir, handles.map((h) => PositionalFile.attach(h, cache)));
  }

  /** The handles of the segment files, in order. */
  handles(): FileHandle[] {
    return this.segments.map((s) => s.handle());
  }

  /** Total bytes of all segment files. */
  get size(): number {
    return this.segments.reduce((n, s) => n + s.size, 0);
  }

  /**
   * The chunk at `ref` (segment << 32 | offset), checked against its CRC32C. Throws a
   * `corruption` StorageError naming the segment and offset when the reference or the bytes are bad.
   */
  chunk(ref: number): StoredChunk {
    const data = this.read(ref, -1, true);
    return { encoding: this.lastEncoding, data };
  }

  /**
   * The data of the chunk at `ref` (a view into a cached page when the chunk lies in one, else a
   * copy), which must have `encoding`. The hot path of block reads: no object but the view is
   * allocated, and, as in Prometheus, the CRC is not verified (a full scan of a week of chunks
   * would spend a third of its time on it); data that does not decode still ends its series' walk
   * with an error. Throws a `corruption` StorageError for a bad reference or length.
   */
  chunkData(ref: number, encoding: number): Uint8Array {
    return this.read(ref, encoding, false);
  }

  private read(ref: number, encoding: number, verify: boolean): Uint8Array {
    const seq = Math.floor(ref / 4294967296);
    const offset = ref % 4294967296;
    const file = this.segments[seq];
    if (file === undefined) throw corruptionError(this.what(seq), offset, `reference ${ref} names segment ${seq}, there are ${this.segments.length}`);
    if (offset < CHUNKS_HEADER_SIZE || offset >= file.size) throw corruptionError(this.what(seq), offset, `reference ${ref} points outside the file (${file.size} bytes)`);
    const pageNo = Math.floor(offset / file.pageSize);
    const page = file.page(pageNo);
    const at = offset - pageNo * file.pageSize;
    const len = at + 5 <= page.length ? uvarintAt(page, at) : uvarintAt(file.read(offset, Math.min(5, file.size - offset)), 0);
    if (len < 0) throw corruptionError(this.what(seq), offset, 'bad chunk length');
    const lenSize = uvarintSize(len);
    const total = lenSize + 1 + len + 4;
    if (offset + total > file.size) throw corruptionError(this.what(seq), offset, `chunk of ${len} bytes runs past the end of the file`);
    // Usually the chunk lies within the page; one that spans pages is read as a copy.
    const inPage = at + total <= page.length;
    const buf: Uint8Array = inPage ? page : file.copy(offset, total);
    const start = (inPage ? at : 0) + lenSize;
    const end = start + 1 + len;
    if (verify) {
      const stored = ((buf[end]! << 24) | (buf[end + 1]! << 16) | (buf[end + 2]! << 8) | buf[end + 3]!) >>> 0;
      const actual = crc32c(buf, 0, start, end);
      if (stored !== actual) throw corruptionError(this.what(seq), offset, `chunk checksum mismatch: stored ${stored.toString(16)}, computed ${actual.toString(16)}`);
    }
    this.lastEncoding = buf[start]!;
    if (encoding >= 0 && this.lastEncoding !== encoding) throw new StorageError('corruption', `${this.what(seq)} at offset ${offset}: chunk encoding ${this.lastEncoding} is not read here (expected ${encoding})`);
    return new Uint8Array(buf.buffer, buf.byteOffset + start + 1, len);
  }

  private lastEncoding = 0;

  private what(seq: number): string {
    return `chunk segment ${seq} of ${this.dir}`;
  }

  /** Closes the segment files this reader owns. */
  close(): void {
    for (const s of this.segments) s.close();
  }
}

function checkHeader(file: PositionalFile): PositionalFile {
  const what = `chunk segment ${file.path}`;
  try {
    if (file.size < CHUNKS_HEADER_SIZE) throw corruptionError(what, 0, `${file.size} bytes is shorter than the header`);
    const head = file.read(0, CHUNKS_HEADER_SIZE);
    if (head.readUInt32BE(0) !== CHUNKS_MAGIC) throw corruptionError(what, 0, `bad magic ${head.readUInt32BE(0).toString(16)}`);
    if (head[4] !== 1) throw corruptionError(what, 4, `unsupported version ${head[4]}`);
    return file;
  } catch (err) {
    file.close();
    throw err;
  }
}
