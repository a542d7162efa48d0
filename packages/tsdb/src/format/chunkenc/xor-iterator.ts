import { floatFromWords, isStaleNaNWords } from '@pyrometer/model';
import { FloatColumns, notAHistogram, type LatestSample, type SampleIterator, type StorageError } from '@pyrometer/storage';
import { ValueType } from '@pyrometer/storage';
import { XorDecoder } from './xor-decoder.js';

/**
 * Walks the samples of an XOR chunk. Implements the storage seam's synchronous, allocation-free
 * {@link SampleIterator}; `reset` points it at another chunk so one iterator can walk many. The
 * chunk is decoded whole at `reset` (see XorDecoder), with the sample count read then, so it may
 * walk a chunk that is still being appended to and sees the samples present at that moment.
 * Corrupt data ends the walk early, reported by {@link err} (a `corruption` StorageError naming
 * the offset).
 */
export class XorIterator implements SampleIterator {
  private readonly d = new XorDecoder();
  private i = -1;

  /** Starts over on `data` (chunk data only: the uint16 count and the bit stream). */
  reset(data: Uint8Array): void {
    this.d.decode(data);
    this.i = -1;
  }

  /**
   * Starts over on `data` from the resume point at `points[from…]` of the same chunk when `from` ≥ 0
   * (see {@link XorDecoder.decodeFrom}): the walk then starts at sample `points[from]`; records at
   * `points[save…]` (when ≥ 0) the point before the first sample at or after `before`. Not for
   * {@link appendState}.
   */
  resetFrom(data: Uint8Array, points: Float64Array, from: number, before: number, save: number): void {
    this.d.decodeFrom(data, points, from, before, save);
    this.i = -1;
  }

  next(): ValueType {
    const count = this.d.count;
    if (this.i >= count) return ValueType.None;
    return ++this.i < count ? ValueType.Float : ValueType.None;
  }

  /**
   * Copies the samples after the current one into `out`: those with mint ≤ t ≤ maxt, leaving out
   * staleness markers unless `keepMarkers`. Returns false once a sample after `maxt` was reached
   * (the caller can stop), true when the chunk ran out.
   */
  readFloats(out: FloatColumns, mint: number, maxt: number, keepMarkers = false): boolean {
    const d = this.d;
    const count = d.count;
    out.reserve(count - this.i - 1);
    const ts = d.ts;
    const words = d.words;
    const outTs = out.ts;
    const outWords = out.words;
    const hiAt = FloatColumns.HI;
    const loAt = FloatColumns.LO;
    let n = out.length;
    let i = this.i + 1;
    for (; i < count; i++) {
      const t = ts[i]!;
      if (t < mint) continue;
      if (t > maxt) break;
      const hi = words[2 * i]!;
      const lo = words[2 * i + 1]!;
      if (!keepMarkers && isStaleNaNWords(hi, lo)) continue;
      outTs[n] = t;
      outWords[2 * n + hiAt] = hi;
      outWords[2 * n + loAt] = lo;
      n++;
    }
    out.length = n;
    this.i = Math.min(i, count);
    return i >= count;
  }

  /**
   * Ends the walk with the chunk's latest sample with mint ≤ t ≤ maxt written to `out`: the last
   * such sample the last reset decoded or, when the decode resumed from a point and none of them
   * is at or before `maxt`, the sample before them (the point's). Returns false, leaving `out`
   * alone, when there is none. A resumed decode must have started before `maxt`.
   */
  latest(mint: number, maxt: number, out: LatestSample): boolean {
    const d = this.d;
    this.i = d.count;
    let k = d.count - 1;
    while (k >= 0 && d.ts[k]! > maxt) k--;
    const t = k >= 0 ? d.ts[k]! : d.resumedT;
    if (t < mint) return false;
    const hi = k >= 0 ? d.words[2 * k]! : d.resumedHi;
    const lo = k >= 0 ? d.words[2 * k + 1]! : d.resumedLo;
    out.t = t;
    out.f = floatFromWords(hi, lo);
    out.stale = isStaleNaNWords(hi, lo);
    out.h = undefined;
    return true;
  }

  seek(t: number): ValueType {
    const count = this.d.count;
    if (this.i >= count) return ValueType.None;
    if (this.i < 0) this.i = 0;
    const ts = this.d.ts;
    while (this.i < count && ts[this.i]! < t) this.i++;
    return this.i < count ? ValueType.Float : ValueType.None;
  }

  atT(): number {
    return this.d.ts[this.i]!;
  }

  atF(): number {
    return floatFromWords(this.d.words[2 * this.i]!, this.d.words[2 * this.i + 1]!);
  }

  atStale(): boolean {
    return isStaleNaNWords(this.d.words[2 * this.i]!, this.d.words[2 * this.i + 1]!);
  }

  atHistogram(): never {
    return notAHistogram();
  }

  atFloatHistogram(): never {
    return notAHistogram();
  }

  /** The corruption that ended the walk early, once the walk reached it. */
  err(): StorageError | undefined {
    return this.i >= this.d.count ? this.d.error : undefined;
  }

  /**
   * @internal The encoder state after the chunk's last sample (after a whole decode, {@link reset}),
   * for resuming appends: bit position, last time, time delta, value words, leading and trailing
   * zeros.
   */
  appendState(): { bitPos: number; t: number; tDelta: number; hi: number; lo: number; leading: number; trailing: number } {
    const d = this.d;
    const last = d.count - 1;
    return { bitPos: d.bitPos, t: d.ts[last]!, tDelta: d.tDelta, hi: d.words[2 * last]!, lo: d.words[2 * last + 1]!, leading: d.count === 1 ? 0xff : d.leading, trailing: d.trailing };
  }
}
