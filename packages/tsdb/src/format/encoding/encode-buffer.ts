/**
 * A growing byte buffer for building on-disk structures, with Go's encoding/binary conventions:
 * big-endian fixed-width integers and LEB128 (u)varints. Integers are JS numbers and must be safe
 * integers (|n| ≤ 2^53); 64-bit fields are written from numbers as two 32-bit words. One owner;
 * `bytes()` is a view that later writes may invalidate.
 */
export class EncodeBuffer {
  private buf: Buffer;
  private len = 0;

  constructor(initialCapacity = 1024) {
    this.buf = Buffer.allocUnsafe(initialCapacity);
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
  }
}
