import { NORMAL_NAN_HI, NORMAL_NAN_LO, STALE_NAN_HI, STALE_NAN_LO } from '@pyrometer/model';

/**
 * A growing byte buffer for building on-disk structures, with Go's encoding/binary conventions:
 * big-endian fixed-width integers and LEB128 (u)varints. Integers are JS numbers and must be safe
 * integers (|n| ≤ 2^53); 64-bit fields are written from numbers as two 32-bit words. One owner;
 * `bytes()` is a view that later writes may invalidate.
 */
export class EncodeBuffer {
  private buf: Buffer;
  /** A view of `buf` for 64-bit floats. */
  private view: DataView;
  private len = 0;

  constructor(initialCapacity = 1024) {
    this.buf = Buffer.allocUnsafe(initialCapacity);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  get length(): number {
    return this.len;
  }

  /** The bytes written so far (a view). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  /** Forgets everything written, keeping the memory. */
  reset(): void {
    this.len = 0;
  }

  putByte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  putBE16(n: number): void {
    this.ensure(2);
    this.buf.writeUInt16BE(n, this.len);
    this.len += 2;
  }

  putBE32(n: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(n >>> 0, this.len);
    this.len += 4;
  }

  /** Writes a 64-bit big-endian integer; negative numbers are written in two's complement. */
  putBE64(n: number): void {
    this.ensure(8);
    this.buf.writeUInt32BE(Math.floor(n / 4294967296) >>> 0, this.len);
    this.buf.writeUInt32BE(n >>> 0, this.len + 4);
    this.len += 8;
  }

  putUvarint(n: number): void {
    this.ensure(10);
    if (n < 0x80) {
      this.buf[this.len++] = n;
      return;
    }
    while (n >= 0x80) {
      this.buf[this.len++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.len++] = n;
  }

  /** Writes a zig-zag varint (Go's binary.PutVarint). */
  putVarint(n: number): void {
    this.putUvarint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  /**
   * Writes a sample value's 64 bits big-endian: Prometheus's staleness marker when `stale`, Go's
   * math.NaN() for any other NaN (a float write would not keep NaN payloads), else the float.
   */
  putSampleValue(v: number, stale: boolean): void {
    this.ensure(8);
    if (stale || v !== v) {
      this.buf.writeUInt32BE(stale ? STALE_NAN_HI : NORMAL_NAN_HI, this.len);
      this.buf.writeUInt32BE(stale ? STALE_NAN_LO : NORMAL_NAN_LO, this.len + 4);
    } else this.view.setFloat64(this.len, v);
    this.len += 8;
  }

  /** Makes room for `n` more bytes at once (writes after it still check, but never grow). */
  reserve(n: number): void {
    this.ensure(n);
  }

  putBytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** Writes a UTF-8 string prefixed with its byte length as a uvarint. */
  putUvarintString(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    this.putUvarint(n);
    this.ensure(n);
    this.len += this.buf.write(s, this.len, 'utf8');
  }

  /** Overwrites 4 bytes at `offset` (already written) with a big-endian uint32. */
  setBE32(offset: number, n: number): void {
    this.buf.writeUInt32BE(n >>> 0, offset);
  }

  /** Appends zero bytes until the length is a multiple of `alignment`. */
  padTo(alignment: number): void {
    const pad = (alignment - (this.len % alignment)) % alignment;
    this.ensure(pad);
    this.buf.fill(0, this.len, this.len + pad);
    this.len += pad;
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(grown, 0, 0, this.len);
    this.buf = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
  }
}
