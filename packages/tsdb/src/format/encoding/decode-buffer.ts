import { corruptionError } from '../errors.js';

/**
 * Bounds-checked reads over a byte range, with Go's encoding/binary conventions (big-endian fixed
 * widths, LEB128 (u)varints). Every read past the end, or a malformed varint, throws a
 * `StorageError` with code `corruption` naming `what` and the absolute offset (`base` + position),
 * so errors point into the file being read. Integers come back as JS numbers (exact up to 2^53).
 */
export class DecodeBuffer {
  private readonly buf: Buffer;
  /** Position relative to the start of the range. */
  pos = 0;

  /**
   * @param data the bytes to read (not copied).
   * @param what the structure being decoded, for error messages, e.g. "index series 0x1a0".
   * @param base the absolute offset of `data[0]` in its file.
   */
  constructor(
    data: Uint8Array,
    readonly what: string,
    readonly base = 0,
  ) {
    this.buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  }

  get length(): number {
    return this.buf.length;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  /** The absolute offset of the next byte to read. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Throws a corruption error at the current offset. */
  fail(detail: string): never {
    throw corruptionError(this.what, this.offset, detail);
  }

  byte(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  be16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  be32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** A big-endian uint64, exact when below 2^53. */
  be64(): number {
    this.need(8);
    const v = this.buf.readUInt32BE(this.pos) * 4294967296 + this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    return v;
  }

  uvarint(): number {
    let v = 0;
    let mul = 1;
    const start = this.pos;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) {
        this.pos = start;
        this.fail('uvarint runs past the end');
      }
      const b = this.buf[this.pos++]!;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 0x80;
    }
    this.pos = start;
    return this.fail('uvarint longer than 10 bytes');
  }

  /** A zig-zag varint (Go's binary.Varint). */
  varint(): number {
    const u = this.uvarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  /** `n` bytes as a view (not copied). */
  bytes(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** A UTF-8 string prefixed by its byte length as a uvarint. */
  uvarintString(): string {
    const n = this.uvarint();
    this.need(n);
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  /** Moves to `pos` (relative to the range start); must be within the range. */
  seek(pos: number): void {
    if (pos < 0 || pos > this.buf.length) this.fail(`position ${pos} outside ${this.buf.length} bytes`);
    this.pos = pos;
  }

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.buf.length) this.fail(`need ${n} bytes, ${this.buf.length - this.pos} left`);
  }
}
