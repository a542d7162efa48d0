import { floatFromWords, isStaleNaNWords, sampleHiWord, sampleLoWord } from '@pyrometer/model';
import { misuseError } from '../errors.js';
import type { ByteSlab } from './byte-slab.js';

/** The most samples one XOR chunk can count (its header is a uint16). */
export const MAX_XOR_SAMPLES = 0xffff;

// Per slot, in `times` (doubles: timestamps pass 2^31): the newest timestamp, the last delta, the first timestamp.
const T = 0;
const T_DELTA = 1;
const FIRST_T = 2;
const TIMES = 3;
// Per slot, in `ints`: bits written, where the stream starts in its buffer and the bytes it may take
// there, samples, the newest value's two 32-bit words, the XOR window, and whether the stream ends
// in the empty byte an aligned whole-byte write leaves (see below).
const POS = 0;
const BASE = 1;
const CAPACITY = 2;
const NUM = 3;
const V_HI = 4;
const V_LO = 5;
const LEADING = 6;
const TRAILING = 7;
const TRAILING_BYTE = 8;
const INTS = 9;

/** Bytes a chunk may take before its buffer first grows, unless told otherwise. */
const DEFAULT_CAPACITY = 128;

/**
 * Encoders of XOR chunks, one per slot, kept as columns (struct of arrays): a chunk being written
 * costs ~70 bytes of typed arrays here instead of an encoder object, a bit-writer object and the
 * heap numbers of their timestamps (~190 bytes each in V8), which is what the head's one open chunk
 * per series adds up to. The encoding is exactly Prometheus's (tsdb/chunkenc/xor.go, see
 * {@link XorAppender}), down to its bit stream: a write of whole bytes that ends byte-aligned
 * leaves one trailing zero byte, as Go's `bstream.writeByte` always appends a fresh byte after the
 * one it completes (chunk lengths, and so block bytes, depend on it). A chunk's bytes come from
 * `slab` when given (or arrays of their own) and are kept zero past the written ones, so bits are
 * OR'ed in place; {@link bytes} is a view that stays a valid chunk of everything written so far
 * until the next append grows the buffer. Timestamps (ms, integers within ±2^53) must strictly
 * increase per slot; the caller validates order. Not thread-safe.
 */
export class XorEncoders {
  private times: Float64Array;
  private ints: Int32Array;
  /** Each slot's buffer (a whole slab shared with other slots, or an array of its own). */
  private readonly bufs: (Uint8Array | undefined)[] = [];
  private readonly free: number[] = [];
  private used = 0;

  // The slot being written by the current append, in locals of this object (not per slot).
  private buf: Uint8Array = new Uint8Array(0);
  private base = 0;
  private capacity = 0;
  private pos = 0;
  private trailingByte = false;

  /** The slot being written by the current append. */
  private slot = 0;

  /**
   * @param slab where chunk bytes come from (default: arrays of their own).
   * @param expectedSamples samples a chunk usually gets before it is cut (0: unknown). When known,
   *   a chunk that outgrows its buffer before that many moves to what its samples so far project
   *   for that many (see {@link growBuffer}) instead of three times its size: a range outgrown in
   *   a slab stays dead until the whole slab is, so a growth should be the last one.
   */
  constructor(
    private readonly slab?: ByteSlab,
    initialSlots = 1,
    private readonly expectedSamples = 0,
  ) {
    this.times = new Float64Array(initialSlots * TIMES);
    this.ints = new Int32Array(initialSlots * INTS);
  }

  /**
   * A slot for a new, empty chunk (its two zero header bytes written), with room for `capacity`
   * bytes before its buffer first grows. Give it back with {@link release}.
   */
  allocate(capacity = DEFAULT_CAPACITY): number {
    const slot = this.free.pop() ?? this.used++;
    if (slot * INTS >= this.ints.length) this.growColumns();
    this.times.fill(0, slot * TIMES, (slot + 1) * TIMES);
    const i = slot * INTS;
    this.ints.fill(0, i, i + INTS);
    this.ints[i + POS] = 16;
    this.ints[i + LEADING] = 0xff;
    this.ints[i + CAPACITY] = capacity;
    if (this.slab === undefined) {
      this.bufs[slot] = new Uint8Array(capacity);
    } else {
      this.ints[i + BASE] = this.slab.reserve(capacity);
      this.bufs[slot] = this.slab.current;
    }
    return slot;
  }

  /**
   * A slot resuming the chunk `data` (a copy of it), whose encoder state was read from its samples:
   * `bits` bits written, `num` samples, the newest timestamp and delta, the first timestamp, the
   * newest value's words and the XOR window.
   */
  resume(data: Uint8Array, state: { bits: number; num: number; t: number; tDelta: number; firstT: number; hi: number; lo: number; leading: number; trailing: number }): number {
    const bytes = Math.ceil(state.bits / 8);
    const slot = this.allocate(Math.max(DEFAULT_CAPACITY, bytes * 2));
    this.bufs[slot]!.set(data.subarray(0, bytes), this.ints[slot * INTS + BASE]!);
    const i = slot * INTS;
    this.ints[i + POS] = state.bits;
    this.ints[i + NUM] = state.num;
    this.ints[i + V_HI] = state.hi;
    this.ints[i + V_LO] = state.lo;
    this.ints[i + LEADING] = state.leading;
    this.ints[i + TRAILING] = state.trailing;
    this.times[slot * TIMES + T] = state.t;
    this.times[slot * TIMES + T_DELTA] = state.tDelta;
    this.times[slot * TIMES + FIRST_T] = state.firstT;
    return slot;
  }

  /** Frees `slot` for another chunk; its bytes stay readable through views taken before. */
  release(slot: number): void {
    this.bufs[slot] = undefined;
    this.free.push(slot);
  }

  /** The chunk's bytes so far (padded to a byte); a view, do not modify. */
  bytes(slot: number): Uint8Array {
    const i = slot * INTS;
    const base = this.ints[i + BASE]!;
    const length = ((this.ints[i + POS]! + 7) >>> 3) + this.ints[i + TRAILING_BYTE]!;
    return this.bufs[slot]!.subarray(base, base + length);
  }

  /** Samples in the chunk so far. */
  samples(slot: number): number {
    return this.ints[slot * INTS + NUM]!;
  }

  /** The first sample's timestamp (0 while the chunk is empty). */
  firstT(slot: number): number {
    return this.times[slot * TIMES + FIRST_T]!;
  }

  /** The newest sample's timestamp (0 while the chunk is empty). */
  lastT(slot: number): number {
    return this.times[slot * TIMES + T]!;
  }

  /** The newest sample's value and staleness, read back from the encoder's state; undefined while the chunk is empty. */
  last(slot: number): { v: number; stale: boolean } | undefined {
    const i = slot * INTS;
    if (this.ints[i + NUM] === 0) return undefined;
    const hi = this.ints[i + V_HI]!;
    const lo = this.ints[i + V_LO]!;
    const stale = isStaleNaNWords(hi, lo);
    return { v: stale ? Number.NaN : floatFromWords(hi, lo), stale };
  }

  /**
   * Appends a sample to the chunk in `slot`. A stale sample is written as the staleness marker's
   * exact bits (0x7ff0000000000002) whatever `v` is; any other NaN as Go's math.NaN() bits
   * (0x7ff8000000000001), as Prometheus would.
   */
  append(slot: number, t: number, v: number, stale = false): void {
    // Words are kept as signed int32 so they stay small integers in V8 (no heap numbers).
    const hi = sampleHiWord(v, stale) | 0;
    const lo = sampleLoWord(v, stale) | 0;
    const ints = this.ints;
    const times = this.times;
    const i = slot * INTS;
    const at = slot * TIMES;
    const num = ints[i + NUM]!;
    if (num === MAX_XOR_SAMPLES) throw misuseError(`an XOR chunk holds at most ${MAX_XOR_SAMPLES} samples`);
    this.slot = slot;
    this.buf = this.bufs[slot]!;
    this.base = ints[i + BASE]!;
    this.capacity = ints[i + CAPACITY]!;
    this.pos = ints[i + POS]!;
    this.trailingByte = ints[i + TRAILING_BYTE] === 1;
    if (num === 0) {
      this.writeUvarint(t >= 0 ? t * 2 : -t * 2 - 1);
      this.writeBits(hi, 32);
      this.writeBits(lo, 32);
      times[at + FIRST_T] = t;
    } else {
      const tDelta = t - times[at + T]!;
      if (num === 1) this.writeUvarint(tDelta);
      else this.writeDod(tDelta - times[at + T_DELTA]!);
      this.writeValue(i, hi, lo);
      times[at + T_DELTA] = tDelta;
    }
    times[at + T] = t;
    ints[i + V_HI] = hi;
    ints[i + V_LO] = lo;
    ints[i + NUM] = num + 1;
    const buf = this.buf;
    const base = this.base;
    buf[base] = (num + 1) >>> 8;
    buf[base + 1] = (num + 1) & 0xff;
    this.bufs[slot] = buf;
    ints[i + BASE] = base;
    ints[i + CAPACITY] = this.capacity;
    ints[i + POS] = this.pos;
    ints[i + TRAILING_BYTE] = this.trailingByte ? 1 : 0;
  }

  private writeValue(i: number, hi: number, lo: number): void {
    const ints = this.ints;
    const dHi = hi ^ ints[i + V_HI]!;
    const dLo = lo ^ ints[i + V_LO]!;
    if (dHi === 0 && dLo === 0) {
      this.writeBit(0);
      return;
    }
    this.writeBit(1);
    let leading = dHi !== 0 ? Math.clz32(dHi) : 32 + Math.clz32(dLo);
    const trailing = dLo !== 0 ? ctz32(dLo) : 32 + ctz32(dHi);
    if (leading >= 32) leading = 31;
    const prevLeading = ints[i + LEADING]!;
    const prevTrailing = ints[i + TRAILING]!;
    if (prevLeading !== 0xff && leading >= prevLeading && trailing >= prevTrailing) {
      this.writeBit(0);
      this.writeSignificant(dHi, dLo, prevTrailing, 64 - prevLeading - prevTrailing);
      return;
    }
    ints[i + LEADING] = leading;
    ints[i + TRAILING] = trailing;
    this.writeBit(1);
    this.writeBits(leading, 5);
    const sig = 64 - leading - trailing;
    // 64 significant bits do not fit in 6 bits; they are written as 0, which cannot otherwise occur.
    this.writeBits(sig & 63, 6);
    this.writeSignificant(dHi, dLo, trailing, sig);
  }

  private writeSignificant(hi: number, lo: number, shift: number, n: number): void {
    if (shift >= 32) {
      this.writeBits(hi >>> (shift - 32), n);
    } else if (shift > 0) {
      this.writeBits64(hi >>> shift, (lo >>> shift) | (hi << (32 - shift)), n);
    } else {
      this.writeBits64(hi, lo, n);
    }
  }

  private writeUvarint(u: number): void {
    while (u >= 0x80) {
      this.writeBits((u % 0x80) | 0x80, 8);
      u = Math.floor(u / 0x80);
    }
    this.writeBits(u, 8);
  }

  // Delta-of-delta buckets as in Prometheus: each range is asymmetric, [-(2^(n-1)-1), 2^(n-1)].
  private writeDod(dod: number): void {
    if (dod === 0) {
      this.writeBit(0);
    } else if (dod >= -8191 && dod <= 8192) {
      this.writeBits(0b10, 2);
      this.writeBits(dod & 0x3fff, 14);
    } else if (dod >= -65535 && dod <= 65536) {
      this.writeBits(0b110, 3);
      this.writeBits(dod & 0x1ffff, 17);
    } else if (dod >= -524287 && dod <= 524288) {
      this.writeBits(0b1110, 4);
      this.writeBits(dod & 0xfffff, 20);
    } else {
      this.writeBits(0b1111, 4);
      this.writeBits(Math.floor(dod / 4294967296) | 0, 32);
      this.writeBits(dod | 0, 32);
    }
  }

  private writeBit(bit: number): void {
    const pos = this.pos;
    if ((pos >>> 3) + 2 > this.capacity) this.growBuffer(1);
    if (bit !== 0) this.buf[this.base + (pos >>> 3)]! |= 0x80 >>> (pos & 7);
    this.pos = pos + 1;
    this.trailingByte = false;
  }

  /** Writes the low `n` bits (0..32) of the unsigned integer `value`, most significant first. */
  private writeBits(value: number, n: number): void {
    if (n === 0) return;
    this.put(value, n);
    this.trailingByte = (n & 7) === 0 && (this.pos & 7) === 0;
  }

  /** Writes the low `n` bits (0..64) of the 64-bit integer with words `hi` and `lo`, as {@link writeBits}. */
  private writeBits64(hi: number, lo: number, n: number): void {
    if (n === 0) return;
    if (n > 32) {
      this.put(hi, n - 32);
      this.put(lo, 32);
    } else this.put(lo, n);
    this.trailingByte = (n & 7) === 0 && (this.pos & 7) === 0;
  }

  /** ORs the low `n` (1..32) bits of `value` in at the bit position, a byte at a time. */
  private put(value: number, n: number): void {
    let pos = this.pos;
    // Room for the bits plus a possible trailing byte.
    if (((pos + n + 7) >>> 3) + 1 > this.capacity) this.growBuffer(n);
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

  /**
   * Moves the current chunk to a buffer of the size its samples so far project for a full chunk
   * (see {@link projectedCapacity}), else three times as large (or as `bits` more need).
   */
  private growBuffer(bits: number): void {
    const need = ((this.pos + bits + 7) >>> 3) + 1;
    const size = Math.max(need, this.projectedCapacity() ?? this.capacity * 3);
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

  /**
   * The bytes the chunk being appended to would take at {@link expectedSamples}, plus an eighth:
   * its samples after the first (which carries a whole timestamp and value) are taken as typical.
   * Undefined when the expected count is unknown or reached, or before two samples are written.
   */
  private projectedCapacity(): number | undefined {
    const i = this.slot * INTS;
    const num = this.ints[i + NUM]!;
    if (num < 2 || num >= this.expectedSamples) return undefined;
    // Bits written before the sample being appended now, and those of the header and first sample.
    const written = this.ints[i + POS]!;
    const firstT = this.times[this.slot * TIMES + FIRST_T]!;
    const first = 16 + 8 * uvarintBytes(firstT >= 0 ? firstT * 2 : -firstT * 2 - 1) + 64;
    const projectedBits = written + ((written - first) / (num - 1)) * (this.expectedSamples - num);
    const bytes = Math.ceil(projectedBits / 8);
    return bytes + (bytes >>> 3) + 2;
  }

  /** Room for half as many slots again. */
  private growColumns(): void {
    const slots = Math.max(4, Math.ceil((this.ints.length / INTS) * 1.5));
    const times = new Float64Array(slots * TIMES);
    times.set(this.times);
    this.times = times;
    const ints = new Int32Array(slots * INTS);
    ints.set(this.ints);
    this.ints = ints;
  }
}

/** The length of `u`'s unsigned varint encoding. */
function uvarintBytes(u: number): number {
  let n = 1;
  for (; u >= 0x80; n++) u = Math.floor(u / 0x80);
  return n;
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}
