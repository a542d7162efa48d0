import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { corruptionError } from '../errors.js';
import { crc32c } from '@pyrometer/codec';
import { CHUNKS_HEADER_SIZE, CHUNKS_MAGIC } from './chunk-writer.js';

/** A chunk as stored: its encoding byte and its data (a view into the segment file's buffer). */
export interface StoredChunk {
  encoding: number;
  data: Uint8Array;
}

/**
 * Reads chunks of a block's `chunks/` directory by reference. Each segment file is read whole into
 * memory at open (simple, and fine for blocks up to a few GiB of chunks; see docs/format.md).
 * Immutable after open; safe to share between concurrent queries.
 */
export class ChunkSegmentReader {
  private constructor(
    private readonly dir: string,
    private readonly segments: Buffer[],
  ) {}

  /** Opens `dir` (a block's chunks directory) and checks every segment's header. */
  static async open(dir: string): Promise<ChunkSegmentReader> {
    const names = (await readdir(dir)).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b));
    const segments: Buffer[] = [];
    for (const name of names) {
      const buf = await readFile(join(dir, name));
      const what = `chunk segment ${join(dir, name)}`;
      if (buf.length < CHUNKS_HEADER_SIZE) throw corruptionError(what, 0, `${buf.length} bytes is shorter than the header`);
      if (buf.readUInt32BE(0) !== CHUNKS_MAGIC) throw corruptionError(what, 0, `bad magic ${buf.readUInt32BE(0).toString(16)}`);
      if (buf[4] !== 1) throw corruptionError(what, 4, `unsupported version ${buf[4]}`);
      segments.push(buf);
    }
    return new ChunkSegmentReader(dir, segments);
  }

  /** Total bytes of all segment files. */
  get size(): number {
    return this.segments.reduce((n, b) => n + b.length, 0);
  }

  /**
   * The chunk at `ref` (segment << 32 | offset), checked against its CRC32C. Throws a
   * `corruption` StorageError naming the segment and offset when the reference or the bytes are bad.
   */
  chunk(ref: number): StoredChunk {
    const seq = Math.floor(ref / 4294967296);
    const offset = ref % 4294967296;
    const buf = this.segments[seq];
    const what = `chunk segment ${seq} of ${this.dir}`;
    if (buf === undefined) throw corruptionError(what, offset, `reference ${ref} names segment ${seq}, there are ${this.segments.length}`);
    if (offset < CHUNKS_HEADER_SIZE || offset >= buf.length) throw corruptionError(what, offset, `reference ${ref} points outside the file (${buf.length} bytes)`);
    let len = 0;
    let mul = 1;
    let pos = offset;
    for (;;) {
      if (pos >= buf.length || pos - offset >= 5) throw corruptionError(what, offset, 'bad chunk length');
      const b = buf[pos++]!;
      len += (b & 0x7f) * mul;
      if (b < 0x80) break;
      mul *= 0x80;
    }
    const end = pos + 1 + len;
    if (end + 4 > buf.length) throw corruptionError(what, offset, `chunk of ${len} bytes runs past the end of the file`);
    const stored = buf.readUInt32BE(end);
    const actual = crc32c(buf, 0, pos, end);
    if (stored !== actual) throw corruptionError(what, offset, `chunk checksum mismatch: stored ${stored.toString(16)}, computed ${actual.toString(16)}`);
    return { encoding: buf[pos]!, data: buf.subarray(pos + 1, end) };
  }
}
