import { notAHistogram, ValueType, type SampleIterator } from '@pyrometer/storage';
import { XorIterator } from '../format/index.js';

/**
 * Walks a series' XOR chunks (oldest first, non-overlapping, each with its inclusive max time) and
 * yields the samples within [mint, maxt] that no deleted interval covers. `deleted` is a flat,
 * sorted list of inclusive `[start, end]` pairs (tombstones). One XorIterator is reused for every
 * chunk, so walking allocates nothing. A corrupt chunk ends the walk; `err()` tells why.
 */
export class ChunksIterator implements SampleIterator {
  private readonly xor = new XorIterator();
  private idx = -1;
  private done = false;
  private del = 0;
  private positioned = false;

  constructor(
    private readonly chunks: readonly Uint8Array[],
    private readonly chunkMaxT: readonly number[],
    private readonly mint: number,
    private readonly maxt: number,
    private readonly deleted: readonly number[] = [],
  ) {}

  next(): ValueType {
    while (!this.done) {
      if (this.idx >= 0 && this.xor.next() !== ValueType.None) {
        const t = this.xor.atT();
        if (t < this.mint || this.isDeleted(t)) continue;
        if (t > this.maxt) break;
        this.positioned = true;
        return ValueType.Float;
      }
      if (this.idx >= 0 && this.xor.err() !== undefined) break;
      if (!this.nextChunk(this.mint)) break;
    }
    this.done = true;
    this.positioned = false;
    return ValueType.None;
  }

  seek(t: number): ValueType {
    if (this.done) return ValueType.None;
    if (this.positioned && this.xor.atT() >= t) return ValueType.Float;
    if (t < this.mint) t = this.mint;
    // Skip whole chunks that end before t, then scan inside the chunk.
    if (this.idx < 0 || this.chunkMaxT[this.idx]! < t) {
      if (!this.nextChunk(t)) {
        this.done = true;
        return ValueType.None;
      }
    }
    for (;;) {
      if (this.next() === ValueType.None) return ValueType.None;
      if (this.xor.atT() >= t) return ValueType.Float;
    }
  }

  atT(): number {
    return this.xor.atT();
  }

  atF(): number {
    return this.xor.atF();
  }

  atStale(): boolean {
    return this.xor.atStale();
  }

  atHistogram(): never {
    return notAHistogram();
  }

  atFloatHistogram(): never {
    return notAHistogram();
  }

  /** The corruption that ended the walk early, if any. */
  err(): Error | undefined {
    return this.xor.err();
  }

  /** Moves to the first chunk after the current one whose max time is ≥ t. */
  private nextChunk(t: number): boolean {
    let i = this.idx + 1;
    while (i < this.chunks.length && this.chunkMaxT[i]! < t) i++;
    if (i >= this.chunks.length) return false;
    this.idx = i;
    this.positioned = false;
    this.xor.reset(this.chunks[i]!);
    return true;
  }

  private isDeleted(t: number): boolean {
    const d = this.deleted;
    while (this.del < d.length && d[this.del + 1]! < t) this.del += 2;
    return this.del < d.length && d[this.del]! <= t;
  }
}
