import type { ByteSlab } from './byte-slab.js';

/**
 * An append-only bit stream on a growing Uint8Array, most significant bit first, with exactly the
 * byte-level behaviour of Prometheus's `bstream`: a write of whole bytes (a multiple of 8 bits)
 * that ends byte-aligned leaves one trailing zero byte, as Go's `writeByte` always appends a fresh
 * byte after the one it completes. Chunk lengths (and so block bytes) depend on it.
 * Owned by one chunk appender; `bytes()` is a view that stays valid (as a snapshot of everything
 * written so far) until the next write grows the buffer. Bytes past the written ones are kept zero,
 * so bits are OR'ed in place.
 */
export class BitWriter {
  /** The stream's bytes are buf[base, base + capacity): a whole slab shared with other streams, or an array of its own. */
  private buf: Uint8Array;
  private base = 0;
  private capacity: number;
  /** Bits written so far. */
  private pos = 0;
  /** Whether the stream carries the empty trailing byte a whole-byte write leaves when aligned. */
  private trailing = false;

  /** @param slab where the buffer and its grown copies come from (default: separate allocations). */
  constructor(
    initialCapacity = 128,
    private readonly slab?: ByteSlab,
  ) {
    this.capacity = initialCapacity;
    if (slab === undefined) this.buf = new Uint8Array(initialCapacity);
    else {
      this.base = slab.reserve(initialCapacity);
      this.buf = slab.current;
    }
  }

  /**
   * A stream that starts with `bytes` zero bytes already written (a header filled in later with
   * {@link setByte}), with room for `capacity` bytes before it first grows.
   */
  static afterHeader(bytes: number, slab?: ByteSlab, capacity = 128): BitWriter {
    const w = new BitWriter(capacity, slab);
    w.pos = bytes * 8;
    return w;
  }

  /** Resumes writing after `prefix`, whose last byte has `usedBitsInLastByte` (1..8) bits in use. */
  static resume(prefix: Uint8Array, usedBitsInLastByte: number): BitWriter {
    const w = new BitWriter(Math.max(128, prefix.length * 2));
    w.buf.set(prefix);
    w.pos = prefix.length === 0 ? 0 : prefix.length * 8 - (8 - usedBitsInLastByte);
    return w;
  }

  /** The bytes written so far, padded with zero bits to a whole byte. */
  bytes(): Uint8Array {
    return this.buf.subarray(this.base, this.base + this.byteLength());
  }

  /** Overwrites a whole byte already written (used for the sample-count header). */
  setByte(index: number, value: number): void {
    this.buf[this.base + index] = value;
  }

  writeBit(bit: number): void {
    const pos = this.pos;
    if ((pos >>> 3) + 2 > this.capacity) this.grow(1);
    if (bit !== 0) this.buf[this.base + (pos >>> 3)]! |= 0x80 >>> (pos & 7);
    this.pos = pos + 1;
    this.trailing = false;
  }

  /** Writes the low `n` bits (0..32) of the unsigned integer `value`. */
  writeBits(value: number, n: number): void {
    if (n === 0) return;
    this.put(value, n);
    this.trailing = (n & 7) === 0 && (this.pos & 7) === 0;
  }

  /** Writes the low `n` bits (0..64) of the 64-bit integer with words `hi` and `lo`, as {@link writeBits}. */
  writeBits64(hi: number, lo: number, n: number): void {
    if (n === 0) return;
    if (n > 32) {
      this.put(hi, n - 32);
      this.put(lo, 32);
    } else this.put(lo, n);
    this.trailing = (n & 7) === 0 && (this.pos & 7) === 0;
  }

  private byteLength(): number {
    return ((this.pos + 7) >>> 3) + (this.trailing ? 1 : 0);
  }

  /** ORs the low `n` (1..32) bits of `value` in at the bit position, a byte at a time. */
  private put(value: number, n: number): void {
    let pos = this.pos;
    // Room for the bits plus a possible trailing byte.
    if (((pos + n + 7) >>> 3) + 1 > this.capacity) this.grow(n);
    const buf = this.buf;
    const base = this.base;
    let rest = n;
    while (rest > 0) {
      const free = 8 - (pos & 7);
      const k = rest < free ? rest : free;
      rest -= k;
      buf[base + (pos >>> 3)]! |= ((value >>> rest) & ((1 << k) - 1)) << (free - k);
      pos += k;
    }
    this.pos = pos;
  }

  private grow(bits: number): void {
    const need = ((this.pos + bits + 7) >>> 3) + 1;
    const size = Math.max(need, this.capacity * 3);
    const old = this.buf.subarray(this.base, this.base + this.capacity);
    if (this.slab === undefined) {
      this.buf = new Uint8Array(size);
      this.base = 0;
    } else {
      this.base = this.slab.reserve(size);
      this.buf = this.slab.current;
    }
    // Bytes past the written ones are zero, so copying the whole old buffer is exact.
    this.buf.set(old, this.base);
    this.capacity = size;
  }
}
