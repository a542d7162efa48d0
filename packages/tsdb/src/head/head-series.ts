import type { Labels } from '@pyrometer/model';
import { lowerBound, ValueType } from '@pyrometer/storage';
import { XorIterator, type XorEncoders } from '../format/index.js';

/** Out-of-order samples of a series, sorted by timestamp (1 in `stale` marks a staleness marker). */
export interface OooSamples {
  ts: number[];
  vs: number[];
  stale: number[];
}

// Shared empty list until a series closes its first chunk (most series of a young head have none).
const NO_CHUNKS: number[] = [];
/** Numbers per closed chunk in {@link HeadSeries}' list: its reference, first and last timestamp. */
const CLOSED = 3;
// Bits of HeadSeries.flags.
const INDEXED = 1;
const LOGGED = 2;

/**
 * Where the head's full chunks go (chunks_head/): each is written once when it is closed and
 * read back by reference. The head keeps only the references and the open chunks in memory.
 */
export interface ChunkStore {
  /** Stores a full chunk of series `seriesRef` with samples in [mint, maxt]; returns its reference. */
  write(seriesRef: number, mint: number, maxt: number, data: Uint8Array): number;
  /** The data of the chunk at `ref`; throws a `corruption` StorageError when it cannot be read. */
  chunk(ref: number): Uint8Array;
  /** Hands what was written so far to the OS (a commit's chunks reach the file before it returns). */
  flush(): void;
}

/** Samples per head chunk before a new one is cut, as in Prometheus. */
export const SAMPLES_PER_CHUNK = 120;

/**
 * One series in the head: its closed chunks on disk (references into the head's ChunkStore) plus
 * the open chunk being appended to, in memory. Owned by the head; samples are added only by a
 * committing appender, in strictly increasing timestamp order. Chunks never span a multiple of
 * `chunkRange` (the block range), so cutting blocks never splits a chunk.
 */
export class HeadSeries {
  /**
   * Closed chunks, oldest first, as one flat list of (reference in the chunk store, first and last
   * timestamp): one array per series instead of three (each array is ~50 bytes before its elements).
   */
  private closed: number[] = NO_CHUNKS;
  /** The open chunk's slot in the head's encoders (which hold its bytes and state), -1 while there is none. */
  private open = -1;
  /** {@link INDEXED} and {@link LOGGED} in one small integer (a field per flag is 8 bytes per series). */
  private flags = 0;
  /**
   * The uncommitted batch holding samples of this series, and the position of its newest one in
   * that batch's buffers (an index, not a copy: timestamps and values would be boxed doubles on
   * every series).
   */
  pendingBy: object | undefined = undefined;
  pendingAt = 0;

  /** @param encoders the head's table of open chunks, shared by all its series. */
  constructor(
    readonly ref: number,
    readonly labels: Labels,
    private readonly encoders: XorEncoders,
  ) {}

  /** Set once the series is in the postings index (after its first commit). */
  get indexed(): boolean {
    return (this.flags & INDEXED) !== 0;
  }

  set indexed(on: boolean) {
    this.flags = on ? this.flags | INDEXED : this.flags & ~INDEXED;
  }

  /** Set once a WAL series record for it was written. */
  get logged(): boolean {
    return (this.flags & LOGGED) !== 0;
  }

  set logged(on: boolean) {
    this.flags = on ? this.flags | LOGGED : this.flags & ~LOGGED;
  }

  /** The open chunk's first timestamp (0 while there is none). */
  get openMinT(): number {
    return this.open < 0 ? 0 : this.encoders.firstT(this.open);
  }

  /**
   * Newest committed sample (-Infinity while empty): the open chunk's encoder has it, else the last
   * closed chunk (the series carries no copy, which would be a heap number per series).
   */
  get maxT(): number {
    return this.open < 0 ? this.closedMaxT : this.encoders.lastT(this.open);
  }

  /** Samples accepted inside the out-of-order window, kept apart from the in-order chunks. */
  ooo: OooSamples | undefined = undefined;

  /** Closed chunks plus the open one. */
  get chunkCount(): number {
    return this.closedChunks + (this.open < 0 ? 0 : 1);
  }

  /** Closed chunks, numbered 0 (oldest) up. */
  get closedChunks(): number {
    return this.closed.length / CLOSED;
  }

  /** Closed chunk `i`'s reference in the chunk store. */
  chunkRef(i: number): number {
    return this.closed[i * CLOSED]!;
  }

  /** Closed chunk `i`'s first timestamp. */
  chunkMinT(i: number): number {
    return this.closed[i * CLOSED + 1]!;
  }

  /** Closed chunk `i`'s last timestamp. */
  chunkMaxT(i: number): number {
    return this.closed[i * CLOSED + 2]!;
  }

  get minT(): number {
    const inOrder = this.closed.length > 0 ? this.chunkMinT(0) : this.open < 0 ? Infinity : this.openMinT;
    return this.ooo !== undefined && this.ooo.ts.length > 0 ? Math.min(inOrder, this.ooo.ts[0]!) : inOrder;
  }

  /** Inserts an out-of-order sample; false when a sample with that timestamp exists already. */
  insertOoo(t: number, v: number, stale: boolean, store: ChunkStore): boolean {
    if (this.lookup(t, store) !== undefined) return false;
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
  lookup(t: number, store: ChunkStore): [number, boolean] | undefined {
    const o = this.ooo;
    if (o !== undefined) {
      const i = lowerBound(o.ts, t);
      if (o.ts[i] === t) return [o.vs[i]!, o.stale[i] === 1];
    }
    let data: Uint8Array | undefined;
    for (let i = 0; i < this.closedChunks && data === undefined; i++) if (this.chunkMinT(i) <= t && t <= this.chunkMaxT(i)) data = store.chunk(this.chunkRef(i));
    if (data === undefined && this.open >= 0 && this.openMinT <= t && t <= this.maxT) data = this.encoders.bytes(this.open);
    if (data === undefined) return undefined;
    const it = new XorIterator();
    it.reset(data);
    if (it.seek(t) === ValueType.None || it.atT() !== t) return undefined;
    return [it.atF(), it.atStale()];
  }

  /** Appends a sample newer than {@link maxT}; a full open chunk is closed into `store` first. */
  append(t: number, v: number, stale: boolean, chunkRange: number, store: ChunkStore): void {
    // The open chunk ends at its samples' limit or at the next multiple of the block range.
    const open = this.open;
    if (open < 0 || this.encoders.samples(open) >= SAMPLES_PER_CHUNK || t >= (Math.floor(this.encoders.firstT(open) / chunkRange) + 1) * chunkRange) this.cut(store);
    this.encoders.append(this.open, t, v, stale);
  }

  /**
   * The newest sample's value and staleness: the open chunk's encoder has it (kept nowhere else, so
   * no series carries a boxed copy); without an open chunk (after a restart) it is read from the
   * last closed chunk.
   */
  last(store: ChunkStore): { v: number; stale: boolean } {
    if (this.open >= 0) return this.encoders.last(this.open)!;
    const last = { v: 0, stale: false };
    if (this.closed.length > 0) {
      const it = new XorIterator();
      it.reset(store.chunk(this.chunkRef(this.closedChunks - 1)));
      while (it.next() !== ValueType.None) {
        last.v = it.atF();
        last.stale = it.atStale();
      }
    }
    return last;
  }

  /**
   * Gives the series the closed chunks a previous run left in the chunk store (in time order,
   * before any sample of this run); its newest sample becomes the last chunk's.
   */
  attachChunks(refs: readonly number[], minTs: readonly number[], maxTs: readonly number[]): void {
    const closed = new Array<number>(refs.length * CLOSED);
    for (let i = 0; i < refs.length; i++) {
      closed[i * CLOSED] = refs[i]!;
      closed[i * CLOSED + 1] = minTs[i]!;
      closed[i * CLOSED + 2] = maxTs[i]!;
    }
    this.closed = refs.length === 0 ? NO_CHUNKS : closed;
  }

  /** The newest time the closed chunks hold (-Infinity when there are none). */
  get closedMaxT(): number {
    return this.closed.length === 0 ? -Infinity : this.closed[this.closed.length - 1]!;
  }

  private cut(store: ChunkStore): void {
    const capacity = this.open < 0 ? undefined : nextChunkCapacity(this.encoders.bytes(this.open).length, this.encoders.samples(this.open));
    this.closeOpen(store);
    this.open = this.encoders.allocate(capacity);
  }

  /** Closes the open chunk (if any) into `store`. */
  closeOpen(store: ChunkStore): void {
    if (this.open < 0) return;
    // An exact-size copy, not push: V8 gives an array room for 17 elements at its first push, so
    // pushed lists cost ~550 bytes per series once its first chunk closed (55 MB at 100k series).
    // A series closes a chunk every 120 samples, so the copy is cheap.
    const minT = this.openMinT;
    const maxT = this.maxT;
    this.closed = this.closed.concat(store.write(this.ref, minT, maxT, this.encoders.bytes(this.open)), minT, maxT);
    this.dropOpen();
  }

  /** A snapshot copy of the open chunk's bytes (what a querier hands out), or undefined. */
  openSnapshot(): Uint8Array | undefined {
    return this.open < 0 ? undefined : this.encoders.bytes(this.open).slice();
  }

  /** The open chunk's bytes as a live view (valid until the next append), or undefined. */
  openView(): Uint8Array | undefined {
    return this.open < 0 ? undefined : this.encoders.bytes(this.open);
  }

  /** Drops every chunk whose samples are all older than `mint`; returns true when nothing is left. */
  truncateBefore(mint: number): boolean {
    let drop = 0;
    while (drop < this.closedChunks && this.chunkMaxT(drop) < mint) drop++;
    if (drop > 0) this.closed = drop === this.closedChunks ? NO_CHUNKS : this.closed.slice(drop * CLOSED);
    if (this.open >= 0 && this.maxT < mint) this.dropOpen();
    const o = this.ooo;
    if (o !== undefined) {
      const keep = lowerBound(o.ts, mint);
      if (keep === o.ts.length) this.ooo = undefined;
      else if (keep > 0) this.ooo = { ts: o.ts.slice(keep), vs: o.vs.slice(keep), stale: o.stale.slice(keep) };
    }
    return this.closed.length === 0 && this.open < 0 && this.ooo === undefined;
  }

  /** Gives the open chunk's slot back to the head's encoders (views of its bytes stay valid). */
  private dropOpen(): void {
    this.encoders.release(this.open);
    this.open = -1;
  }
}

/**
 * The bytes to reserve for a series' next chunk: what the chunk just closed would take at a full
 * chunk's samples, plus an eighth. A series' samples keep their shape from chunk to chunk, so the
 * next chunk rarely outgrows it; a chunk that grows is copied and leaves its first range unused in
 * its slab until every chunk carved from that slab is gone (a series' first chunk: 128 bytes, then
 * what its samples project for a full chunk, see XorEncoders).
 */
function nextChunkCapacity(bytes: number, samples: number): number {
  const full = samples >= SAMPLES_PER_CHUNK ? bytes : Math.ceil((bytes * SAMPLES_PER_CHUNK) / Math.max(1, samples));
  return Math.min(MAX_CHUNK_RESERVATION, full + (full >>> 3) + 2);
}

/** The most bytes a chunk is reserved up front (a chunk of full-precision doubles takes ~1 KiB). */
const MAX_CHUNK_RESERVATION = 1024;
