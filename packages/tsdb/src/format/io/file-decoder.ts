import { corruptionError } from '../errors.js';
import type { PositionalFile } from './positional-file.js';

const WINDOW = 16 * 1024;
const EMPTY = Buffer.alloc(0);

/**
 * Sequential reads over the byte range [start, end) of a {@link PositionalFile}, with the
 * conventions of DecodeBuffer (big-endian fixed widths, LEB128 varints, uvarint-prefixed UTF-8
 * strings), fetching the file a window at a time through its page cache. Reading past `end`
 * throws a `corruption` StorageError naming `what` and the absolute offset.
 */
export class FileDecoder {
  private window: Buffer = EMPTY;
  /** Absolute offset of window[0]. */
  private windowStart: number;
  private pos = 0;

  constructor(
    private readonly file: PositionalFile,
    start: number,
    private readonly end: number,
    readonly what: string,
  ) {
    this.windowStart = start;
  }

  /** The absolute offset of the next byte. */
  get offset(): number {
    return this.windowStart + this.pos;
  }

  /** Continues at absolute offset `offset` (within the range). */
  seek(offset: number): void {
    if (offset > this.end) this.fail(`position ${offset} past the end ${this.end}`);
    this.windowStart = offset;
    this.window = EMPTY;
    this.pos = 0;
  }

  fail(detail: string): never {
    throw corruptionError(this.what, this.offset, detail);
  }

  byte(): number {
    if (this.pos >= this.window.length) this.refill(1);
    return this.window[this.pos++]!;
  }

  be32(): number {
    return ((this.byte() << 24) | (this.byte() << 16) | (this.byte() << 8) | this.byte()) >>> 0;
  }

  uvarint(): number {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 0x80;
    }
    return this.fail('uvarint longer than 10 bytes');
  }

  /** `n` bytes (a view when they lie in the current window, else a copy). */
  bytes(n: number): Buffer {
    if (this.pos + n <= this.window.length) {
      const out = this.window.subarray(this.pos, this.pos + n);
      this.pos += n;
      return out;
    }
    const at = this.offset;
    if (at + n > this.end) this.fail(`need ${n} bytes, ${this.end - at} left`);
    this.seek(at + n);
    return this.file.read(at, n);
  }

  uvarintString(): string {
    const n = this.uvarint();
    return this.bytes(n).toString('utf8');
  }

  skip(n: number): void {
    if (this.pos + n <= this.window.length) this.pos += n;
    else {
      const at = this.offset + n;
      if (at > this.end) this.fail(`need ${n} bytes, ${this.end - this.offset} left`);
      this.seek(at);
    }
  }

  private refill(n: number): void {
    const at = this.offset;
    if (at + n > this.end) this.fail(`need ${n} bytes, ${this.end - at} left`);
    this.windowStart = at;
    this.pos = 0;
    this.window = this.file.read(at, Math.min(this.end - at, WINDOW - (at % WINDOW)));
  }
}
