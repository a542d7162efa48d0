/**
 * Reads a most-significant-bit-first bit stream from a byte array. Reads past the end do not
 * throw (the hot path stays branch-light); they set `overrun` and yield zero bits, and the owner
 * checks `overrun` once per decoded sample.
 */
export class BitReader {
  private data: Uint8Array = new Uint8Array(0);
  /** Position in bits from the start of `data`. */
  pos = 0;
  overrun = false;

  reset(data: Uint8Array, bitPos: number): void {
    this.data = data;
    this.pos = bitPos;
    this.overrun = false;
  }

  readBit(): number {
    const idx = this.pos >>> 3;
    if (idx >= this.data.length) {
      this.overrun = true;
      return 0;
    }
    const bit = (this.data[idx]! >>> (7 - (this.pos & 7))) & 1;
    this.pos++;
    return bit;
  }

  /** Reads `n` (0..32) bits as an unsigned integer. */
  readBits(n: number): number {
    const d = this.data;
    const idx = this.pos >>> 3;
    if (n > 0 && idx + 5 <= d.length) {
      // Fast path: the bits lie within the 40-bit window d[idx..idx+4].
      const off = this.pos & 7;
      const w = ((d[idx]! << 24) | (d[idx + 1]! << 16) | (d[idx + 2]! << 8) | d[idx + 3]!) >>> 0;
      this.pos += n;
      const end = off + n;
      if (end <= 32) return ((w << off) >>> 0) >>> (32 - n);
      const extra = end - 32;
      return (w & ((1 << (32 - off)) - 1)) * (1 << extra) + (d[idx + 4]! >>> (8 - extra));
    }
    return this.readBitsSlow(n);
  }

  private readBitsSlow(n: number): number {
    let v = 0;
    while (n > 0) {
      const idx = this.pos >>> 3;
      if (idx >= this.data.length) {
        this.overrun = true;
        return 0;
      }
      const avail = 8 - (this.pos & 7);
      const k = n < avail ? n : avail;
      v = v * (1 << k) + ((this.data[idx]! >>> (avail - k)) & ((1 << k) - 1));
      this.pos += k;
      n -= k;
    }
    return v;
  }

  /** Reads a whole byte-aligned-or-not byte. */
  readByte(): number {
    return this.readBits(8);
  }
}
