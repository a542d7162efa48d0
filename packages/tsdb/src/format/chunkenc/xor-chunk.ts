import { misuseError } from '../errors.js';
import type { ByteSlab } from './byte-slab.js';
import { XorEncoders } from './xor-encoders.js';
import { XorIterator } from './xor-iterator.js';

/**
 * Chunk encodings as numbered in Prometheus's chunkenc (the byte stored before chunk data). Only
 * XOR is decoded here; the others are named so readers can reject them clearly. XOR2 and the
 * start-timestamp histogram encodings are recent additions upstream (after 3.x's first releases).
 */
export const ChunkEncoding = { None: 0, XOR: 1, Histogram: 2, FloatHistogram: 3, XOR2: 4, HistogramST: 5, FloatHistogramST: 6 } as const;
export type ChunkEncoding = (typeof ChunkEncoding)[keyof typeof ChunkEncoding];

export { MAX_XOR_SAMPLES } from './xor-encoders.js';

/**
 * A Gorilla-style XOR chunk in exactly Prometheus's encoding (tsdb/chunkenc/xor.go): a big-endian
 * uint16 sample count, then the first timestamp as a varint and value as 64 raw bits, the second
 * timestamp as a uvarint delta, then delta-of-delta timestamps and XOR'ed values in variable bit
 * widths. The chunk owns its buffer; {@link bytes} returns a view that remains a valid, readable
 * chunk of the samples written so far even while more samples are appended. Not thread-safe: one
 * appender at a time, any number of iterators. (The head keeps its open chunks in one shared
 * {@link XorEncoders} table instead, without an object per chunk.)
 */
export class XorChunk {
  private constructor(
    private readonly encoders: XorEncoders,
    private slot: number,
  ) {}

  /**
   * An empty chunk (just the two zero header bytes), its bytes carved from `slab` when given, with
   * room for `capacity` bytes before its buffer first grows (default 128).
   */
  static create(slab?: ByteSlab, capacity?: number): XorChunk {
    const encoders = new XorEncoders(slab);
    return new XorChunk(encoders, encoders.allocate(capacity));
  }

  /** A chunk over a copy of `data` as read from disk (data only: no length, encoding or CRC). */
  static fromBytes(data: Uint8Array): XorChunk {
    if (data.length < 2) throw misuseError(`an XOR chunk needs at least 2 bytes, got ${data.length}`);
    const encoders = new XorEncoders();
    // As read: every byte counts (the encoder state is restored by appender() when it is needed).
    return new XorChunk(encoders, encoders.resume(data, { bits: data.length * 8, num: 0, t: 0, tDelta: 0, firstT: 0, hi: 0, lo: 0, leading: 0xff, trailing: 0 }));
  }

  get encoding(): ChunkEncoding {
    return ChunkEncoding.XOR;
  }

  /** The chunk's bytes so far (padded to a byte); a view, do not modify. */
  bytes(): Uint8Array {
    return this.encoders.bytes(this.slot);
  }

  numSamples(): number {
    const b = this.bytes();
    return (b[0]! << 8) | b[1]!;
  }

  /**
   * An appender positioned after the last sample. For a chunk created from bytes this decodes
   * all samples once to restore the encoder state; throws a corruption error if they do not decode.
   */
  appender(): XorAppender {
    const n = this.numSamples();
    if (n === 0 || this.encoders.samples(this.slot) === n) return new XorAppender(this.encoders, this.slot);
    const it = this.iterator();
    let firstT = 0;
    if (it.next() !== 0) firstT = it.atT();
    while (it.next() !== 0);
    const err = it.err();
    if (err !== undefined) throw err;
    const state = it.appendState();
    const data = this.bytes();
    this.encoders.release(this.slot);
    this.slot = this.encoders.resume(data, { bits: state.bitPos, num: n, t: state.t, tDelta: state.tDelta, firstT, hi: state.hi, lo: state.lo, leading: state.leading, trailing: state.trailing });
    return new XorAppender(this.encoders, this.slot);
  }

  /** An iterator over the samples present now; pass an old iterator to reuse it without allocating. */
  iterator(reuse?: XorIterator): XorIterator {
    const it = reuse ?? new XorIterator();
    it.reset(this.bytes());
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
  /** @internal Created through {@link XorChunk.appender}. */
  constructor(
    private readonly encoders: XorEncoders,
    private readonly slot: number,
  ) {}

  /** The chunk's bytes so far, as {@link XorChunk.bytes} (a view, do not modify). */
  bytes(): Uint8Array {
    return this.encoders.bytes(this.slot);
  }

  /** Samples in the chunk so far. */
  get samples(): number {
    return this.encoders.samples(this.slot);
  }

  /** The newest sample's value and staleness, read back from the encoder's state; undefined while the chunk is empty. */
  last(): { v: number; stale: boolean } | undefined {
    return this.encoders.last(this.slot);
  }

  append(t: number, v: number, stale = false): void {
    this.encoders.append(this.slot, t, v, stale);
  }
}
