import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '@pyrometer/codec';
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
    const seq = Math.floor(ref / 4294967296);
    const offset = ref % 4294967296;
    const file = this.segments[seq];
    const what = `chunk segment ${seq} of ${this.dir}`;
    if (file === undefined) throw corruptionError(what, offset, `reference ${ref} names segment ${seq}, there are ${this.segments.length}`);
    if (offset < CHUNKS_HEADER_SIZE || offset >= file.size) throw corruptionError(what, offset, `reference ${ref} points outside the file (${file.size} bytes)`);
    const head = file.read(offset, Math.min(5, file.size - offset));
    let len = 0;
    let mul = 1;
    let pos = 0;
    for (;;) {
      if (pos >= head.length) throw corruptionError(what, offset, 'bad chunk length');
      const b = head[pos++]!;
      len += (b & 0x7f) * mul;
      if (b < 0x80) break;
      mul *= 0x80;
    }
    if (offset + pos + 1 + len + 4 > file.size) throw corruptionError(what, offset, `chunk of ${len} bytes runs past the end of the file`);
    const body = file.read(offset + pos, 1 + len + 4);
    const stored = body.readUInt32BE(1 + len);
    const actual = crc32c(body, 0, 0, 1 + len);
    if (stored !== actual) throw corruptionError(what, offset, `chunk checksum mismatch: stored ${stored.toString(16)}, computed ${actual.toString(16)}`);
    return { encoding: body[0]!, data: body.subarray(1, 1 + len) };
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
