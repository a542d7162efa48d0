import type { Labels } from '@pyrometer/model';
import { lowerBound, ValueType } from '@pyrometer/storage';
import { XorChunk, XorIterator, type ByteSlab, type XorAppender } from '../format/index.js';

/** Out-of-order samples of a series, sorted by timestamp (1 in `stale` marks a staleness marker). */
export interface OooSamples {
  ts: number[];
  vs: number[];
  stale: number[];
}

// Shared empty lists until a series closes its first chunk (most series of a young head have none).
const NO_CHUNKS: Uint8Array[] = [];
const NO_TIMES: number[] = [];

/** Samples per head chunk before a new one is cut, as in Prometheus. */
export const SAMPLES_PER_CHUNK = 120;

/**
 * One series in the head: immutable closed chunks (exact-size byte copies) plus the open chunk
 * being appended to. Owned by the head; samples are added only by a committing appender, in
 * strictly increasing timestamp order. Chunks never span a multiple of `chunkRange` (the block
 * range), so cutting blocks never splits a chunk.
 */
export class HeadSeries {
  /** Closed chunks, oldest first, with their inclusive time bounds. */
  chunks: Uint8Array[] = NO_CHUNKS;
  chunkMinT: number[] = NO_TIMES;
  chunkMaxT: number[] = NO_TIMES;
  private open: XorChunk | undefined;
  private app: XorAppender | undefined;
  openMinT = 0;
  private openEnd = 0;
  private openCount = 0;
  /** Newest committed sample (maxT is -Infinity while empty). */
  maxT = -Infinity;
  lastV = 0;
  lastStale = false;
  /** Set once the series is in the postings index (after its first commit). */
  indexed = false;
  /** Set once a WAL series record for it was written. */
  logged = false;
  /** The newest sample an uncommitted batch holds for this series, valid while `pendingBy` is that batch. */
  pendingBy: object | undefined = undefined;
  pendingT = 0;
  pendingV = 0;
  pendingStale = false;

  constructor(
    readonly ref: number,
    readonly labels: Labels,
    /** `labels.hash()` of the caller's label set, kept so the head never asks this copy for its key. */
    readonly hash: number,
  ) {}

  /** Samples accepted inside the out-of-order window, kept apart from the in-order chunks. */
  ooo: OooSamples | undefined = undefined;

  /** Closed chunks plus the open one. */
  get chunkCount(): number {
    return this.chunks.length + (this.open === undefined ? 0 : 1);
  }

  get minT(): number {
    const inOrder = this.chunks.length > 0 ? this.chunkMinT[0]! : this.open === undefined ? Infinity : this.openMinT;
    return this.ooo !== undefined && this.ooo.ts.length > 0 ? Math.min(inOrder, this.ooo.ts[0]!) : inOrder;
  }

  /** Inserts an out-of-order sample; false when a sample with that timestamp exists already. */
  insertOoo(t: number, v: number, stale: boolean): boolean {
    if (this.lookup(t) !== undefined) return false;
    const o = (this.ooo ??= { ts: [], vs: [], stale: [] });
    const i = lowerBound(o.ts, t);
    o.ts.splice(i, 0, t);
    o.vs.splice(i, 0, v);
    o.stale.splice(i, 0, stale ? 1 : 0);
    return true;
  }

  /**
   * The committed sample at exactly `t` as `[value, stale]`, or undefined. Decodes the one chunk
   * that may hold it, so this is for the rare out-of-order path only.
   */
  lookup(t: number): [number, boolean] | undefined {
    const o = this.ooo;
    if (o !== undefined) {
      const i = lowerBound(o.ts, t);
      if (o.ts[i] === t) return [o.vs[i]!, o.stale[i] === 1];
    }
    let data: Uint8Array | undefined;
    for (let i = 0; i < this.chunks.length && data === undefined; i++) if (this.chunkMinT[i]! <= t && t <= this.chunkMaxT[i]!) data = this.chunks[i];
    if (data === undefined && this.open !== undefined && this.openMinT <= t && t <= this.maxT) data = this.open.bytes();
    if (data === undefined) return undefined;
    const it = new XorIterator();
    it.reset(data);
    if (it.seek(t) === ValueType.None || it.atT() !== t) return undefined;
    return [it.atF(), it.atStale()];
  }

  /** Appends a sample newer than {@link maxT}; chunk bytes come from `slab`. */
  append(t: number, v: number, stale: boolean, chunkRange: number, slab: ByteSlab): void {
    if (this.app === undefined || this.openCount >= SAMPLES_PER_CHUNK || t >= this.openEnd) this.cut(t, chunkRange, slab);
    this.app!.append(t, v, stale);
    this.openCount++;
    this.maxT = t;
    this.lastV = v;
    this.lastStale = stale;
  }

  private cut(t: number, chunkRange: number, slab: ByteSlab): void {
    this.closeOpen(slab);
    this.open = XorChunk.create(slab);
    this.app = this.open.appender();
    this.openMinT = t;
    this.openCount = 0;
    this.openEnd = (Math.floor(t / chunkRange) + 1) * chunkRange;
  }

  /** Moves the open chunk (if any) to the closed list as an exact-size copy (from `slab` when given). */
  closeOpen(slab?: ByteSlab): void {
    if (this.open === undefined) return;
    if (this.chunks === NO_CHUNKS) {
      this.chunks = [];
      this.chunkMinT = [];
      this.chunkMaxT = [];
    }
    const bytes = this.open.bytes();
    const copy = slab === undefined ? new Uint8Array(bytes.length) : slab.take(bytes.length);
    copy.set(bytes);
    this.chunks.push(copy);
    this.chunkMinT.push(this.openMinT);
    this.chunkMaxT.push(this.maxT);
    this.open = undefined;
    this.app = undefined;
  }

  /** A snapshot copy of the open chunk's bytes (what a querier hands out), or undefined. */
  openSnapshot(): Uint8Array | undefined {
    return this.open?.bytes().slice();
  }

  /** The open chunk's bytes as a live view (valid until the next append), or undefined. */
  openView(): Uint8Array | undefined {
    return this.open?.bytes();
  }

  /** Drops every chunk whose samples are all older than `mint`; returns true when nothing is left. */
  truncateBefore(mint: number): boolean {
    let drop = 0;
    while (drop < this.chunks.length && this.chunkMaxT[drop]! < mint) drop++;
    if (drop > 0) {
      this.chunks = this.chunks.slice(drop);
      this.chunkMinT = this.chunkMinT.slice(drop);
      this.chunkMaxT = this.chunkMaxT.slice(drop);
    }
    if (this.open !== undefined && this.maxT < mint) {
      this.open = undefined;
      this.app = undefined;
    }
    const o = this.ooo;
    if (o !== undefined) {
      const keep = lowerBound(o.ts, mint);
      if (keep === o.ts.length) this.ooo = undefined;
      else if (keep > 0) this.ooo = { ts: o.ts.slice(keep), vs: o.vs.slice(keep), stale: o.stale.slice(keep) };
    }
    return this.chunks.length === 0 && this.open === undefined && this.ooo === undefined;
  }
}
