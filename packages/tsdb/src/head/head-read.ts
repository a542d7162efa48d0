import { Labels, type Matcher } from '@pyrometer/model';
import { labelNamesOf, labelResult, labelValuesOf, StorageError, type LabelResult, type Querier, type SelectHints, type Series, type SeriesSet } from '@pyrometer/storage';
import { coversRange } from '../querier/intervals.js';
import { seriesFromChunks, type SeriesChunks, type SeriesChunksVisitor } from '../querier/series-chunks.js';
import type { Head } from './head.js';
import type { ChunkStore, HeadSeries, OooSamples } from './head-series.js';

/**
 * Reads the head over [mint, maxt] (inclusive ms). `select` snapshots the chunks of the matching
 * series synchronously (the open chunk is copied), so a batch committed later never shows up half
 * in the iterators it hands out.
 */
export class HeadQuerier implements Querier {
  private closed = false;

  constructor(
    private readonly head: Head,
    readonly mint: number,
    readonly maxt: number,
  ) {}

  async select(matchers: readonly Matcher[], options: { sortSeries?: boolean; hints?: SelectHints } = {}): Promise<SeriesSet> {
    this.checkOpen();
    if (matchers.length === 0) throw new StorageError('invalid_sample', 'select needs at least one matcher');
    const out: Series[] = [];
    const { mint, maxt } = this;
    this.forEachMatching(matchers, true, (data) => out.push(seriesFromChunks([data], mint, maxt)));
    if (options.sortSeries !== false) out.sort((a, b) => Labels.compare(a.labels, b.labels));
    const limit = options.hints?.limit ?? 0;
    if (limit > 0 && out.length > limit) out.length = limit;
    return { series: out, warnings: [] };
  }

  /**
   * Hands every matching series to `visit`, all in one synchronous step, so a batch committed
   * later is seen by no series or by all. Unless `copyOpen` asks for series that stay valid (each
   * its own object, the open chunk a snapshot copy), the series handed out and its open chunk are
   * valid only during the call: one object is refilled for each series.
   */
  visit(matchers: readonly Matcher[], source: number, visit: SeriesChunksVisitor, copyOpen = false): void {
    this.checkOpen();
    if (matchers.length === 0) throw new StorageError('invalid_sample', 'select needs at least one matcher');
    this.forEachMatching(matchers, copyOpen, (data) => visit(source, data));
  }

  private forEachMatching(matchers: readonly Matcher[], copyOpen: boolean, each: (data: SeriesChunks) => void): void {
    if (!this.overlapsHead()) return;
    const { mint, maxt } = this;
    const store = this.head.options.chunks;
    // A snapshot is kept by the caller: one object per series. A live view is used during the call only: one object refilled.
    let data = new HeadSeriesChunks(store);
    for (const ref of this.head.postings.forMatchers(matchers)) {
      const s = this.head.seriesByRef(ref);
      if (s === undefined || s.maxT < mint || s.minT > maxt) continue;
      if (!data.fill(s, mint, maxt, this.head.tombstones.get(ref), copyOpen)) continue;
      each(data);
      if (copyOpen) data = new HeadSeriesChunks(store);
    }
  }

  async labelValues(name: string, matchers: readonly Matcher[] = [], options: { limit?: number } = {}): Promise<LabelResult> {
    this.checkOpen();
    if (!this.overlapsHead()) return labelResult([]);
    if (matchers.length === 0) return labelResult(this.head.postings.values(name), options.limit);
    return labelValuesOf(this.matching(matchers), name, options.limit);
  }

  async labelNames(matchers: readonly Matcher[] = [], options: { limit?: number } = {}): Promise<LabelResult> {
    this.checkOpen();
    if (!this.overlapsHead()) return labelResult([]);
    if (matchers.length === 0) return labelResult(this.head.postings.names(), options.limit);
    return labelNamesOf(this.matching(matchers), options.limit);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private *matching(matchers: readonly Matcher[]): Iterable<Labels> {
    for (const ref of this.head.postings.forMatchers(matchers)) {
      const s = this.head.seriesByRef(ref);
      if (s !== undefined && s.maxT >= this.mint && s.minT <= this.maxt) yield s.labels;
    }
  }

  private overlapsHead(): boolean {
    return this.head.minT <= this.maxt && this.head.maxT >= this.mint;
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageError('closed', 'querier is closed');
  }
}

const NONE_DELETED: readonly number[] = [];

/**
 * A head series over a range: closed chunks read from the chunk store, then the open chunk (a copy
 * or a live view). {@link fill} points it at one series; a visit refills one instance for every
 * series it hands out (valid only during the visitor's call, like the live open chunk), so a
 * select's answer costs no objects per series on the ingestion thread.
 */
class HeadSeriesChunks implements SeriesChunks {
  headRef = 0;
  labels = Labels.EMPTY;
  deleted: readonly number[] = NONE_DELETED;
  ooo: OooSamples | undefined = undefined;
  chunkCount = 0;
  /** How many of the chunks are closed ones (in the store); the open chunk, when in range, comes after them. */
  private closedCount = 0;
  // Written by index and never shrunk, so a refill allocates nothing once they are long enough.
  private readonly refs: number[] = [];
  private readonly minTs: number[] = [];
  private readonly maxTs: number[] = [];
  private open: Uint8Array | undefined = undefined;
  /** Whether `open` is a live view of the open chunk (not a copy). */
  private openLive = false;

  constructor(private readonly store: ChunkStore) {}

  get stableChunks(): number {
    return this.openLive ? this.closedCount : this.chunkCount;
  }

  minTime(i: number): number {
    return this.minTs[i]!;
  }

  maxTime(i: number): number {
    return this.maxTs[i]!;
  }

  chunk(i: number): Uint8Array {
    return i < this.closedCount ? this.store.chunk(this.refs[i]!) : this.open!;
  }

  /**
   * Points this at the chunks of `s` overlapping [mint, maxt], the open chunk as a copy (a
   * snapshot) or as a live view; false when nothing of `s` is left in range.
   */
  fill(s: HeadSeries, mint: number, maxt: number, deleted: readonly number[] = NONE_DELETED, copyOpen: boolean): boolean {
    const { refs, minTs, maxTs } = this;
    let n = 0;
    for (let i = 0; i < s.closedChunks; i++) {
      if (s.chunkMaxT(i) < mint || s.chunkMinT(i) > maxt) continue;
      refs[n] = s.chunkRef(i);
      minTs[n] = s.chunkMinT(i);
      maxTs[n] = s.chunkMaxT(i);
      n++;
    }
    this.closedCount = n;
    this.open = undefined;
    if (s.openMinT <= maxt && s.maxT >= mint) {
      this.open = copyOpen ? s.openSnapshot() : s.openView();
      if (this.open !== undefined) {
        minTs[n] = s.openMinT;
        maxTs[n] = s.maxT;
        n++;
      }
    }
    this.chunkCount = n;
    this.openLive = this.open !== undefined && !copyOpen;
    this.ooo = oooInRange(s.ooo, mint, maxt, deleted);
    if (n === 0 && this.ooo === undefined) return false;
    if (deleted.length > 0 && coversRange(deleted, Math.max(mint, s.minT), Math.min(maxt, s.maxT))) return false;
    this.headRef = s.ref;
    this.labels = s.labels;
    this.deleted = deleted;
    return true;
  }
}

/** The out-of-order samples of a series within [mint, maxt] and outside its deleted intervals, or undefined when none. */
function oooInRange(o: OooSamples | undefined, mint: number, maxt: number, deleted: readonly number[]): OooSamples | undefined {
  if (o === undefined) return undefined;
  let from = 0;
  while (from < o.ts.length && o.ts[from]! < mint) from++;
  let to = from;
  while (to < o.ts.length && o.ts[to]! <= maxt) to++;
  if (to === from) return undefined;
  const ooo: OooSamples = { ts: [], vs: [], stale: [] };
  for (let i = from; i < to; i++) {
    if (deleted.length > 0 && coversRange(deleted, o.ts[i]!, o.ts[i]!)) continue;
    ooo.ts.push(o.ts[i]!);
    ooo.vs.push(o.vs[i]!);
    ooo.stale.push(o.stale[i]!);
  }
  return ooo.ts.length === 0 ? undefined : ooo;
}
