import { notAHistogram, readFloatsFrom, readLatestFrom, ValueType, type FloatColumns, type LatestSample, type SampleIterator } from '@pyrometer/storage';
import { XorIterator } from '../format/index.js';
import type { SeriesChunks } from './series-chunks.js';

const NO_DELETIONS: readonly number[] = [];
const NO_PARTS: readonly SeriesChunks[] = [];

/**
 * Walks the XOR chunks of one or more series parts one after another (parts in time order, not
 * overlapping; chunks oldest first) and yields the samples within [mint, maxt] that no deleted
 * interval of their part covers. Chunks are fetched only when the walk reaches them, and chunks
 * that end before a seek target are skipped unread. One XorIterator is reused for every chunk, so
 * walking allocates nothing. A chunk that cannot be read or decoded ends the walk; `err()` says why.
 */
export class ChunksIterator implements SampleIterator {
  private part = 0;
  private idx = -1;
  private done = false;
  private deleted: readonly number[] = NO_DELETIONS;
  private del = 0;
  private positioned = false;
  private error: Error | undefined;

  constructor(
    private parts: readonly SeriesChunks[],
    private mint: number,
    private maxt: number,
    /** The chunk decoder; pass a shared one only for a walk that ends before any other starts (a bulk read). */
    private readonly xor = new XorIterator(),
  ) {
    if (parts.length > 0) this.deleted = parts[0]!.deleted;
  }

  /** Starts a new walk over other parts, keeping the decoder and its buffers (see `Series.iterator`'s `reuse`). */
  reset(parts: readonly SeriesChunks[], mint: number, maxt: number): this {
    this.parts = parts;
    this.mint = mint;
    this.maxt = maxt;
    this.part = 0;
    this.idx = -1;
    this.done = false;
    this.deleted = parts.length > 0 ? parts[0]!.deleted : NO_DELETIONS;
    this.del = 0;
    this.positioned = false;
    this.error = undefined;
    return this;
  }

  next(): ValueType {
    while (!this.done) {
      if (this.idx >= 0 && this.xor.next() !== ValueType.None) {
        const t = this.xor.atT();
        if (t < this.mint || (this.deleted.length > 0 && this.isDeleted(t))) continue;
        if (t > this.maxt) break;
        this.positioned = true;
        return ValueType.Float;
      }
      if (this.idx >= 0 && this.xor.err() !== undefined) {
        this.error = this.xor.err();
        break;
      }
      if (!this.nextChunk(this.mint)) break;
    }
    this.finish();
    return ValueType.None;
  }

  seek(t: number): ValueType {
    if (this.done) return ValueType.None;
    if (this.positioned && this.xor.atT() >= t) return ValueType.Float;
    if (t < this.mint) t = this.mint;
    // Skip whole chunks that end before t, then scan inside the chunk.
    if (this.idx < 0 || this.parts[this.part]!.maxTime(this.idx) < t) {
      if (!this.nextChunk(t)) {
        this.finish();
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

  /**
   * Reads the rest of the walk in bulk: appends the float samples with mint ≤ t ≤ maxt (within the
   * iterator's own bounds), staleness markers left out unless `keepMarkers`, to `out`, chunk after
   * chunk, skipping chunks outside the range unread. Returns the error that ended it early, if any.
   */
  readFloats(mint: number, maxt: number, out: FloatColumns, keepMarkers = false): Error | undefined {
    if (mint < this.mint) mint = this.mint;
    if (maxt > this.maxt) maxt = this.maxt;
    // Deletions are rare: a series with any is read sample by sample.
    if (this.parts.some((p) => p.deleted.length > 0)) return readFloatsFrom(this, mint, maxt, out, keepMarkers);
    if (this.idx < 0 && !this.nextChunk(mint)) return this.finishWith();
    while (this.xor.readFloats(out, mint, maxt, keepMarkers)) {
      if (this.xor.err() !== undefined) {
        this.error = this.xor.err();
        break;
      }
      if (!this.nextChunk(mint)) break;
    }
    return this.finishWith();
  }

  /**
   * Ends the walk with the latest sample with mint ≤ t ≤ maxt (within the iterator's own bounds) in
   * `out`, a staleness marker included (`out.t` −Infinity: none; see `Series.readLatest`). Chunks
   * are searched newest first, so only the chunk holding that sample (and any after it that start
   * later) is decoded; a head chunk with resume points is decoded from the latest point before
   * `maxt`. Returns the error of a chunk that could not be read, if any.
   */
  readLatest(mint: number, maxt: number, out: LatestSample): Error | undefined {
    if (mint < this.mint) mint = this.mint;
    if (maxt > this.maxt) maxt = this.maxt;
    // Deletions are rare: a series with any is walked sample by sample.
    if (this.parts.some((p) => p.deleted.length > 0)) return readLatestFrom(this, mint, maxt, out);
    out.t = -Infinity;
    for (let part = this.parts.length - 1; part >= 0; part--) {
      const p = this.parts[part]!;
      for (let i = p.chunkCount - 1; i >= 0; i--) {
        if (p.minTime(i) > maxt) continue;
        if (p.maxTime(i) < mint || !this.load(p, i, maxt)) return this.finishWith();
        const found = this.xor.latest(mint, maxt, out);
        this.error = this.xor.err();
        if (found || this.error !== undefined) return this.finishWith();
      }
    }
    return this.finishWith();
  }

  /** The error that ended the walk early (an unreadable or corrupt chunk), if any. */
  err(): Error | undefined {
    return this.error;
  }

  /** Ends the walk, letting go of its parts (a shared bulk walk would otherwise hold the last series' chunks). */
  private finish(): void {
    this.done = true;
    this.positioned = false;
    this.parts = NO_PARTS;
    this.deleted = NO_DELETIONS;
  }

  private finishWith(): Error | undefined {
    this.finish();
    return this.error;
  }

  /** Moves to the first chunk after the current one whose max time is ≥ t, reading its data. */
  private nextChunk(t: number): boolean {
    let part = this.part;
    let i = this.idx + 1;
    for (;;) {
      const p = this.parts[part];
      if (p === undefined) return false;
      const n = p.chunkCount;
      while (i < n && p.maxTime(i) < t) i++;
      if (i < n) break;
      part++;
      i = 0;
    }
    const p = this.parts[part]!;
    if (p.minTime(i) > this.maxt) return false;
    if (part !== this.part) {
      this.part = part;
      this.deleted = p.deleted;
      this.del = 0;
    }
    this.idx = i;
    this.positioned = false;
    return this.load(p, i, t);
  }

  /** Decodes chunk `i` of `p` for a read of its samples from `from` on; false (with the error kept) when it cannot be read. */
  private load(p: SeriesChunks, i: number, from: number): boolean {
    try {
      const resumes = p.decodeResumes;
      if (resumes !== undefined && p.headRef !== undefined) {
        // A head series read round after round: its chunk decoded from a point before `from`, not from the first sample.
        resumes.plan(p.headRef, p.minTime(i), from);
        this.xor.resetFrom(p.chunk(i), resumes.points, resumes.resumeAt, from, resumes.saveAt);
      } else this.xor.reset(p.chunk(i));
    } catch (err) {
      this.error = err instanceof Error ? err : new Error(String(err));
      return false;
    }
    return true;
  }

  private isDeleted(t: number): boolean {
    const d = this.deleted;
    while (this.del < d.length && d[this.del + 1]! < t) this.del += 2;
    return this.del < d.length && d[this.del]! <= t;
  }
}

