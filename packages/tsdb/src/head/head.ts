import type { Labels } from '@pyrometer/model';
import type { Appender } from '@pyrometer/storage';
import { HeadAppender } from './head-append.js';
import { HeadQuerier } from './head-read.js';
import { HeadSeries, SAMPLES_PER_CHUNK, type ChunkStore } from './head-series.js';
import { MemPostings } from './mem-postings.js';
import { ByteSlab, XorEncoders } from '../format/index.js';
import { addInterval } from '../querier/intervals.js';

// Series with refs below this are kept in a plain array indexed by ref (ours count up from 1); a WAL
// Prometheus wrote may carry larger ones, which go to a Map.
const DENSE_REFS = 1 << 24;

/**
 * The key of a label set in the head's map by hash: the hash cut to 30 bits, so the key is a small
 * integer V8 stores in place rather than a boxed double per series; series whose keys collide share
 * a bucket (compared by labels), as with any hash.
 */
function hashKey(labels: Labels): number {
  return labels.hash() % 0x40000000;
}

/** What a committing appender hands to the write-ahead log before its samples become visible. */
export interface CommitBatch {
  /** Series first logged by this batch, in creation order. */
  readonly newSeries: readonly HeadSeries[];
  /** Number of samples: only the first n entries of the arrays below belong to the batch. */
  readonly n: number;
  readonly series: readonly HeadSeries[];
  readonly ts: readonly number[];
  readonly vs: readonly number[];
  readonly stale: readonly boolean[];
  /** Which samples are out of order (older than their series' newest when the batch is applied): they go to the WBL. */
  readonly ooo: readonly boolean[];
  /** How many of the samples are out of order. */
  readonly oooCount: number;
}

/** The arrays a batch buffers its samples in; pooled by the head so their capacity is reused. */
export interface AppendBuffer {
  readonly series: HeadSeries[];
  readonly ts: number[];
  readonly vs: number[];
  readonly stale: boolean[];
  readonly ooo: boolean[];
}

/** Counters the head keeps; the DB exposes them as Prometheus's self-metrics. */
export interface HeadStats {
  samplesAppended: number;
  outOfOrderSamples: number;
  outOfBoundsSamples: number;
  tooOldSamples: number;
  duplicateSamples: number;
  seriesCreated: number;
  seriesRemoved: number;
}

/** Options of a {@link Head}, all times in ms. */
export interface HeadOptions {
  /** Chunks never span a multiple of this (the 2h block range). */
  chunkRange: number;
  /** Out-of-order window: 0 rejects every out-of-order sample. */
  outOfOrderWindowMs: number;
  /** Samples later than now + this are rejected as out of bounds. */
  maxFutureMs: number;
  /** The clock (ms since the epoch) for the far-future check. */
  now: () => number;
  /** Where full chunks go (chunks_head/). */
  chunks: ChunkStore;
  /**
   * Called synchronously by commit before the batch becomes visible (the WAL). If it throws, the
   * batch is dropped and commit rejects.
   */
  log: ((batch: CommitBatch) => void) | undefined;
}

/**
 * The head of the TSDB: the newest samples of every active series in XOR chunks (the open chunk
 * of each in memory, the full ones in the chunk store on disk), and a postings index over the
 * series that have committed samples. Appenders validate like
 * Prometheus's head; a batch becomes visible at once when its commit applies it. Single event loop,
 * so no locks: every mutation happens synchronously inside `commit`, `truncate` or replay.
 */
export class Head {
  readonly postings = new MemPostings();
  private readonly byHash = new Map<number, HeadSeries | HeadSeries[]>();
  /** Series by ref for refs below DENSE_REFS (the hot lookup of every append), and above it. */
  private readonly dense: (HeadSeries | undefined)[] = [];
  private readonly sparse = new Map<number, HeadSeries>();
  private seriesCount = 0;
  /** Where head chunks get their bytes: chunks are dropped by time, so slabs die in cohorts. */
  private readonly chunkBytes = new ByteSlab();
  /** The open chunk of every series, as columns (see XorEncoders): no encoder object per series. */
  private readonly openChunks = new XorEncoders(this.chunkBytes, 1024, SAMPLES_PER_CHUNK);
  /** Every label name and value in use, so each string is held once. */
  private readonly symbols = new Map<string, string>();
  private lastRef = 0;
  /** Inclusive bounds of the committed samples (Infinity/-Infinity while empty). */
  minT = Infinity;
  maxT = -Infinity;
  /** Samples older than this are out of bounds (the max time of the newest persisted block). */
  minValidTime = -Infinity;
  /** Deleted intervals per series ref (flat inclusive pairs), applied at read time. */
  readonly tombstones = new Map<number, number[]>();
  readonly stats: HeadStats = { samplesAppended: 0, outOfOrderSamples: 0, outOfBoundsSamples: 0, tooOldSamples: 0, duplicateSamples: 0, seriesCreated: 0, seriesRemoved: 0 };

  constructor(readonly options: HeadOptions) {}

  get numSeries(): number {
    return this.seriesCount;
  }

  appender(): Appender {
    return new HeadAppender(this);
  }

  private readonly bufferPool: AppendBuffer[] = [];

  /** @internal A buffer for a new appender (from the pool when one is free). */
  takeAppendBuffer(): AppendBuffer {
    return this.bufferPool.pop() ?? { series: [], ts: [], vs: [], stale: [], ooo: [] };
  }

  /** @internal Gives an emptied buffer back; a few are kept. */
  returnAppendBuffer(buf: AppendBuffer): void {
    if (this.bufferPool.length < 4) this.bufferPool.push(buf);
  }

  querier(mint: number, maxt: number): HeadQuerier {
    return new HeadQuerier(this, mint, maxt);
  }

  /** The smallest timestamp an in-order append may have (Prometheus's appendableMinValidTime). */
  appendableMinValidTime(): number {
    const half = this.maxT === -Infinity ? -Infinity : this.maxT - this.options.chunkRange / 2;
    return Math.max(this.minValidTime, half);
  }

  seriesByRef(ref: number): HeadSeries | undefined {
    return ref < DENSE_REFS ? this.dense[ref] : this.sparse.get(ref);
  }

  /** The series with these labels, created (not yet indexed) when absent. `ref` forces a ref on replay. */
  getOrCreate(labels: Labels, ref = 0): HeadSeries {
    const hash = hashKey(labels);
    const found = this.byHash.get(hash);
    if (found !== undefined) {
      if (!Array.isArray(found)) {
        if (found.labels.equals(labels)) return found;
      } else {
        for (const s of found) if (s.labels.equals(labels)) return s;
      }
    }
    if (ref === 0) ref = ++this.lastRef;
    else if (ref > this.lastRef) this.lastRef = ref;
    const series = new HeadSeries(ref, this.intern(labels), this.openChunks);
    if (found === undefined) this.byHash.set(hash, series);
    else if (Array.isArray(found)) found.push(series);
    else this.byHash.set(hash, [found, series]);
    if (ref < DENSE_REFS) {
      while (this.dense.length < ref) this.dense.push(undefined);
      this.dense[ref] = series;
    } else this.sparse.set(ref, series);
    this.seriesCount++;
    this.stats.seriesCreated++;
    return series;
  }

  /** Makes new series get refs above `ref` (a previous run used refs up to it, e.g. in chunks_head/). */
  reserveRefs(ref: number): void {
    if (ref > this.lastRef) this.lastRef = ref;
  }

  /** @internal Applies one validated sample during commit or replay; false when it no longer fits. */
  applySample(s: HeadSeries, t: number, v: number, stale: boolean): boolean {
    if (t <= s.maxT) {
      const window = this.options.outOfOrderWindowMs;
      if (window <= 0 || t < this.minValidTime || !s.insertOoo(t, v, stale, this.options.chunks)) return false;
    } else s.append(t, v, stale, this.options.chunkRange, this.options.chunks);
    if (!s.indexed) {
      s.indexed = true;
      this.postings.add(s.ref, s.labels);
    }
    if (t < this.minT) this.minT = t;
    if (t > this.maxT) this.maxT = t;
    this.stats.samplesAppended++;
    return true;
  }

  /**
   * Gives series `s` the closed chunks a previous run left in the chunk store (replay, before its
   * WAL samples): the series is indexed and the head's bounds cover them.
   */
  attachChunks(s: HeadSeries, refs: number[], minTs: number[], maxTs: number[]): void {
    if (refs.length === 0) return;
    s.attachChunks(refs, minTs, maxTs);
    if (!s.indexed) {
      s.indexed = true;
      this.postings.add(s.ref, s.labels);
    }
    if (minTs[0]! < this.minT) this.minT = minTs[0]!;
    if (s.maxT > this.maxT) this.maxT = s.maxT;
  }

  /** Marks [mint, maxt] of series `ref` as deleted; reads skip those samples from now on. */
  addTombstone(ref: number, mint: number, maxt: number): void {
    this.tombstones.set(ref, addInterval(this.tombstones.get(ref) ?? [], mint, maxt));
  }

  /**
   * Drops every sample older than `mint` (after a block persisted them) and removes series left
   * empty, including ones created by rolled-back batches. Returns the refs removed.
   */
  truncate(mint: number): Set<number> {
    if (mint > this.minValidTime) this.minValidTime = mint;
    const removed = new Set<number>();
    for (const s of this.allSeries()) {
      if (s.truncateBefore(mint) && s.pendingBy === undefined) removed.add(s.ref);
    }
    this.postings.delete(removed, (ref) => this.seriesByRef(ref)?.labels);
    for (const ref of removed) {
      this.removeSeries(this.seriesByRef(ref)!);
      this.tombstones.delete(ref);
    }
    this.stats.seriesRemoved += removed.size;
    if (removed.size > 0) this.rebuildSymbols();
    this.recomputeBounds();
    return removed;
  }

  /**
   * The caller's (immutable) label set, kept as is rather than copied, with its strings swapped
   * for the head's one copy of each: the scraper's cache and the head then share one set per series.
   */
  private intern(labels: Labels): Labels {
    return labels.shareStrings(this.canonical);
  }

  private readonly canonical = (s: string): string => {
    const known = this.symbols.get(s);
    if (known !== undefined) return known;
    this.symbols.set(s, s);
    return s;
  };

  private rebuildSymbols(): void {
    this.symbols.clear();
    for (const s of this.allSeries()) s.labels.forEach((n, v) => this.symbols.set(n, n).set(v, v));
  }

  private removeSeries(s: HeadSeries): void {
    if (s.ref < DENSE_REFS) this.dense[s.ref] = undefined;
    else this.sparse.delete(s.ref);
    this.seriesCount--;
    const hash = hashKey(s.labels);
    const found = this.byHash.get(hash);
    if (found === s) this.byHash.delete(hash);
    else if (Array.isArray(found)) {
      const rest = found.filter((x) => x !== s);
      if (rest.length === 1) this.byHash.set(hash, rest[0]!);
      else this.byHash.set(hash, rest);
    }
  }

  private recomputeBounds(): void {
    let min = Infinity;
    for (const s of this.allSeries()) if (s.indexed && s.minT < min) min = s.minT;
    this.minT = min;
  }

  /** Every series, in ref order. */
  *allSeries(): IterableIterator<HeadSeries> {
    for (const s of this.dense) if (s !== undefined) yield s;
    yield* [...this.sparse.values()].sort((a, b) => a.ref - b.ref);
  }
}
