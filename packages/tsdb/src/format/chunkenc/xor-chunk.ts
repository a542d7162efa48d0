import { floatFromWords, isStaleNaNWords, sampleHiWord, sampleLoWord } from '@pyrometer/model';
import { misuseError } from '../errors.js';
import { BitWriter } from './bit-writer.js';
import type { ByteSlab } from './byte-slab.js';
import { XorIterator } from './xor-iterator.js';

/**
 * Chunk encodings as numbered in Prometheus's chunkenc (the byte stored before chunk data). Only
 * XOR is decoded here; the others are named so readers can reject them clearly. XOR2 and the
 * start-timestamp histogram encodings are recent additions upstream (after 3.x's first releases).
 */
export const ChunkEncoding = { None: 0, XOR: 1, Histogram: 2, FloatHistogram: 3, XOR2: 4, HistogramST: 5, FloatHistogramST: 6 } as const;
export type ChunkEncoding = (typeof ChunkEncoding)[keyof typeof ChunkEncoding];

/** The most samples one XOR chunk can count (its header is a uint16). */
export const MAX_XOR_SAMPLES = 0xffff;

/**
 * A Gorilla-style XOR chunk in exactly Prometheus's encoding (tsdb/chunkenc/xor.go): a big-endian
 * uint16 sample count, then the first timestamp as a varint and value as 64 raw bits, the second
 * timestamp as a uvarint delta, then delta-of-delta timestamps and XOR'ed values in variable bit
 * widths. The chunk owns its buffer; {@link bytes} returns a view that remains a valid, readable
 * chunk of the samples written so far even while more samples are appended. Not thread-safe: one
 * appender at a time, any number of iterators.
 */
export class XorChunk {
  private constructor(private writer: BitWriter) {}

  /**
   * An empty chunk (just the two zero header bytes), its bytes carved from `slab` when given, with
   * room for `capacity` bytes before its buffer first grows (default 128).
   */
  static create(slab?: ByteSlab, capacity?: number): XorChunk {
    // Two zero header bytes and no free bits, as Prometheus's NewXORChunk starts its bstream.
    return new XorChunk(BitWriter.afterHeader(2, slab, capacity));
  }

  /** A chunk over a copy of `data` as read from disk (data only: no length, encoding or CRC). */
  static fromBytes(data: Uint8Array): XorChunk {
    if (data.length < 2) throw misuseError(`an XOR chunk needs at least 2 bytes, got ${data.length}`);
    return new XorChunk(BitWriter.resume(data, 8));
  }

  get encoding(): ChunkEncoding {
    return ChunkEncoding.XOR;
  }

  /** The chunk's bytes so far (padded to a byte); a view, do not modify. */
  bytes(): Uint8Array {
    return this.writer.bytes();
  }

  numSamples(): number {
    const b = this.writer.bytes();
    return (b[0]! << 8) | b[1]!;
  }

  /**
   * An appender positioned after the last sample. For a chunk created from bytes this decodes
   * all samples once to restore the encoder state; throws a corruption error if they do not decode.
   */
  appender(): XorAppender {
    const n = this.numSamples();
    const app = new XorAppender(this.writer);
    if (n === 0) return app;
    const it = this.iterator();
    while (it.next() !== 0);
    const err = it.err();
    if (err !== undefined) throw err;
    const state = it.appendState();
    const bits = state.bitPos;
    const used = bits % 8 === 0 ? 8 : bits % 8;
    this.writer = BitWriter.resume(this.writer.bytes().subarray(0, Math.ceil(bits / 8)), used);
    app.restore(this.writer, n, state.t, state.tDelta, state.hi, state.lo, state.leading, state.trailing);
    return app;
  }

  /** An iterator over the samples present now; pass an old iterator to reuse it without allocating. */
  iterator(reuse?: XorIterator): XorIterator {
    const it = reuse ?? new XorIterator();
    it.reset(this.writer.bytes());
    return it;
  }
}

/**
 * Appends samples to an {@link XorChunk}. Timestamps (ms, integers within ±2^53) must strictly
 * increase; the caller (the head) validates order before appending. A stale sample is written as
 * the staleness marker's exact bits (0x7ff0000000000002) whatever `v` is; any other NaN is
 * written as Go's math.NaN() bits (0x7ff8000000000001), as Prometheus would.
 */
export class XorAppender {
  private num = 0;
  private t = 0;
  private tDelta = 0;
  private vHi = 0;
  private vLo = 0;
  private leading = 0xff;
  private trailing = 0;

  /** @internal Created through {@link XorChunk.appender}. */
  constructor(private w: BitWriter) {}

  /** The chunk's bytes so far, as {@link XorChunk.bytes} (a view, do not modify). */
  bytes(): Uint8Array {
    return this.w.bytes();
  }

  /** Samples in the chunk so far. */
  get samples(): number {
    return this.num;
  }

  /** The newest sample's value and staleness, read back from the encoder's state; undefined while the chunk is empty. */
  last(): { v: number; stale: boolean } | undefined {
    if (this.num === 0) return undefined;
    const stale = isStaleNaNWords(this.vHi, this.vLo);
    return { v: stale ? Number.NaN : floatFromWords(this.vHi, this.vLo), stale };
  }

  /** @internal Restores the encoder state after the existing samples of a chunk. */
  restore(w: BitWriter, num: number, t: number, tDelta: number, vHi: number, vLo: number, leading: number, trailing: number): void {
    this.w = w;
    this.num = num;
    this.t = t;
    this.tDelta = tDelta;
    this.vHi = vHi;
    this.vLo = vLo;
    this.leading = leading;
    this.trailing = trailing;
  }

  append(t: number, v: number, stale = false): void {
    // Words are kept as signed int32 so they stay small integers in V8 (no heap numbers).
    const hi = sampleHiWord(v, stale) | 0;
    const lo = sampleLoWord(v, stale) | 0;
    const w = this.w;
    const num = this.num;
    if (num === 0) {
      writeUvarint(w, t >= 0 ? t * 2 : -t * 2 - 1);
      w.writeBits(hi, 32);
      w.writeBits(lo, 32);
    } else {
      if (num === MAX_XOR_SAMPLES) throw misuseError(`an XOR chunk holds at most ${MAX_XOR_SAMPLES} samples`);
      const tDelta = t - this.t;
      if (num === 1) {
        writeUvarint(w, tDelta);
      } else {
        writeDod(w, tDelta - this.tDelta);
      }
      this.writeValue(hi, lo);
      this.tDelta = tDelta;
    }
    this.t = t;
    this.vHi = hi;
    this.vLo = lo;
    this.num = num + 1;
    w.setByte(0, this.num >>> 8);
    w.setByte(1, this.num & 0xff);
  }

  private writeValue(hi: number, lo: number): void {
    const w = this.w;
    const dHi = hi ^ this.vHi;
    const dLo = lo ^ this.vLo;
    if (dHi === 0 && dLo === 0) {
      w.writeBit(0);
      return;
    }
    w.writeBit(1);
    let leading = dHi !== 0 ? Math.clz32(dHi) : 32 + Math.clz32(dLo);
    const trailing = dLo !== 0 ? ctz32(dLo) : 32 + ctz32(dHi);
    if (leading >= 32) leading = 31;
    if (this.leading !== 0xff && leading >= this.leading && trailing >= this.trailing) {
      w.writeBit(0);
      writeSignificant(w, dHi, dLo, this.trailing, 64 - this.leading - this.trailing);
      return;
    }
    this.leading = leading;
    this.trailing = trailing;
    w.writeBit(1);
    w.writeBits(leading, 5);
    const sig = 64 - leading - trailing;
    // 64 significant bits do not fit in 6 bits; they are written as 0, which cannot otherwise occur.
    w.writeBits(sig & 63, 6);
    writeSignificant(w, dHi, dLo, trailing, sig);
  }
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

function writeSignificant(w: BitWriter, hi: number, lo: number, shift: number, n: number): void {
  if (shift >= 32) {
    w.writeBits(hi >>> (shift - 32), n);
  } else if (shift > 0) {
    w.writeBits64(hi >>> shift, (lo >>> shift) | (hi << (32 - shift)), n);
  } else {
    w.writeBits64(hi, lo, n);
  }
}

function writeUvarint(w: BitWriter, u: number): void {
  while (u >= 0x80) {
    w.writeBits((u % 0x80) | 0x80, 8);
    u = Math.floor(u / 0x80);
  }
  w.writeBits(u, 8);
}

// Delta-of-delta buckets as in Prometheus: each range is asymmetric, [-(2^(n-1)-1), 2^(n-1)].
function writeDod(w: BitWriter, dod: number): void {
  if (dod === 0) {
    w.writeBit(0);
  } else if (dod >= -8191 && dod <= 8192) {
    w.writeBits(0b10, 2);
    w.writeBits(dod & 0x3fff, 14);
  } else if (dod >= -65535 && dod <= 65536) {
    w.writeBits(0b110, 3);
    w.writeBits(dod & 0x1ffff, 17);
  } else if (dod >= -524287 && dod <= 524288) {
    w.writeBits(0b1110, 4);
    w.writeBits(dod & 0xfffff, 20);
  } else {
    w.writeBits(0b1111, 4);
    w.writeBits(Math.floor(dod / 4294967296) | 0, 32);
    w.writeBits(dod | 0, 32);
  }
}
