/**
 * An append-only bit stream on a growing Uint8Array, most significant bit first, with exactly the
 * byte-level behaviour of Prometheus's `bstream`: whole bytes are written with `writeByte`, which
 * always appends a fresh byte after the one it completes, so a stream that ends byte-aligned after
 * a byte write carries one trailing zero byte. Chunk lengths (and so block bytes) depend on it.
 * Owned by one chunk appender; `bytes()` is a view that stays valid (as a snapshot of everything
 * written so far) until the next write grows the buffer.
 */
export class BitWriter {
  private buf: Uint8Array;
  private len = 0;
  /** Free bits in the last byte, 0..8 (8: an empty trailing byte left by a byte write). */
  private free = 0;

  constructor(initialCapacity = 128) {
    this.buf = new Uint8Array(initialCapacity);
  }

  /** Resumes writing after `prefix`, whose last byte has `usedBitsInLastByte` (1..8) bits in use. */
  static resume(prefix: Uint8Array, usedBitsInLastByte: number): BitWriter {
    const w = new BitWriter(Math.max(128, prefix.length * 2));
    w.buf.set(prefix);
    w.len = prefix.length;
    w.free = prefix.length === 0 ? 0 : 8 - usedBitsInLastByte;
    return w;
  }

  /** The bytes written so far, padded with zero bits to a whole byte. */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  /** Overwrites a whole byte already written (used for the sample-count header). */
  setByte(index: number, value: number): void {
    this.buf[index] = value;
  }

  writeBit(bit: number): void {
    let free = this.free;
    if (free === 0) {
      if (this.len === this.buf.length) this.grow();
      this.buf[this.len++] = 0;
      free = 8;
    }
    free--;
    if (bit !== 0) this.buf[this.len - 1]! |= 1 << free;
    this.free = free;
  }

  /** Writes 8 bits; like Go's bstream.writeByte it always leaves a new last byte behind. */
  writeByte(byte: number): void {
    if (this.len + 2 > this.buf.length) this.grow();
    const buf = this.buf;
    let len = this.len;
    let free = this.free;
    if (free === 0) {
      buf[len++] = 0;
      free = 8;
    }
    buf[len - 1]! |= (byte & 0xff) >>> (8 - free);
    buf[len++] = (byte << free) & 0xff;
    this.len = len;
    this.free = free;
  }

  /** Writes the low `n` bits (0..32) of the unsigned integer `value`: whole bytes first, then single bits. */
  writeBits(value: number, n: number): void {
    while (n >= 8) {
      n -= 8;
      this.writeByte(value >>> n);
    }
    this.writeTail(value, n);
  }

  /** Writes the low `n` bits (0..64) of the 64-bit integer with words `hi` and `lo`, as {@link writeBits}. */
  writeBits64(hi: number, lo: number, n: number): void {
    while (n >= 8) {
      n -= 8;
      this.writeByte(n >= 32 ? hi >>> (n - 32) : n > 24 ? (lo >>> n) | (hi << (32 - n)) : lo >>> n);
    }
    this.writeTail(lo, n);
  }

  /** Writes the low `n` (< 8) bits of `value` as single-bit writes would. */
  private writeTail(value: number, n: number): void {
    while (n > 0) {
      if (this.free === 0) {
        if (this.len === this.buf.length) this.grow();
        this.buf[this.len++] = 0;
        this.free = 8;
      }
      const k = n < this.free ? n : this.free;
      this.free -= k;
      this.buf[this.len - 1]! |= ((value >>> (n - k)) & ((1 << k) - 1)) << this.free;
      n -= k;
    }
  }

  private grow(): void {
    const grown = new Uint8Array(this.buf.length * 2 + 16);
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }
}
