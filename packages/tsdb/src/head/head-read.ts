import { Labels, type Matcher } from '@pyrometer/model';
import { labelNamesOf, labelResult, labelValuesOf, StorageError, type LabelResult, type Querier, type SelectHints, type Series, type SeriesSet } from '@pyrometer/storage';
import { coversRange } from '../querier/intervals.js';
import { MemSeriesChunks, seriesFromChunks, type SeriesChunks, type SeriesChunksVisitor } from '../querier/series-chunks.js';
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
   * later is seen by no series or by all. The open chunk is a live view (valid during the call)
   * unless `copyOpen` asks for a snapshot copy that stays valid.
   */
  visit(matchers: readonly Matcher[], source: number, visit: SeriesChunksVisitor, copyOpen = false): void {
    this.checkOpen();
    if (matchers.length === 0) throw new StorageError('invalid_sample', 'select needs at least one matcher');
    this.forEachMatching(matchers, copyOpen, (data) => visit(source, data));
  }

  private forEachMatching(matchers: readonly Matcher[], copyOpen: boolean, each: (data: SeriesChunks) => void): void {
    if (!this.overlapsHead()) return;
    const { mint, maxt } = this;
    for (const ref of this.head.postings.forMatchers(matchers)) {
      const s = this.head.seriesByRef(ref);
      if (s === undefined || s.maxT < mint || s.minT > maxt) continue;
      const data = seriesChunks(s, this.head.options.chunks, mint, maxt, this.head.tombstones.get(ref), copyOpen);
      if (data !== undefined) each(data);
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

/** A head series over a range: closed chunks read from the chunk store, then the open chunk (a copy or a live view). */
class HeadSeriesChunks extends MemSeriesChunks {
  constructor(
    readonly headRef: number,
    labels: Labels,
    private readonly store: ChunkStore,
    private readonly refs: readonly number[],
    minTs: readonly number[],
    maxTs: readonly number[],
    private readonly open: Uint8Array | undefined,
    /** Whether `open` is a live view of the open chunk (not a copy). */
    private readonly openLive: boolean,
    deleted: readonly number[],
    ooo: OooSamples | undefined,
  ) {
    super(labels, [], minTs, maxTs, deleted, ooo);
  }

  override get stableChunks(): number {
    return this.openLive ? this.refs.length : this.chunkCount;
  }

  override chunk(i: number): Uint8Array {
    return i < this.refs.length ? this.store.chunk(this.refs[i]!) : this.open!;
  }
}

/** The chunks of `s` overlapping [mint, maxt]; the open chunk as a copy (a snapshot) or as a live view. */
function seriesChunks(s: HeadSeries, store: ChunkStore, mint: number, maxt: number, deleted: readonly number[] | undefined, copyOpen: boolean): SeriesChunks | undefined {
  deleted ??= [];
  const refs: number[] = [];
  const minTs: number[] = [];
  const maxTs: number[] = [];
  for (let i = 0; i < s.closedChunks; i++) {
    if (s.chunkMaxT(i) < mint || s.chunkMinT(i) > maxt) continue;
    refs.push(s.chunkRef(i));
    minTs.push(s.chunkMinT(i));
    maxTs.push(s.chunkMaxT(i));
  }
  let open: Uint8Array | undefined;
  if (s.openMinT <= maxt && s.maxT >= mint) {
    open = copyOpen ? s.openSnapshot() : s.openView();
    if (open !== undefined) {
      minTs.push(s.openMinT);
      maxTs.push(s.maxT);
    }
  }
  let ooo: OooSamples | undefined;
  const o = s.ooo;
  if (o !== undefined) {
    let from = 0;
    while (from < o.ts.length && o.ts[from]! < mint) from++;
    let to = from;
    while (to < o.ts.length && o.ts[to]! <= maxt) to++;
    if (to > from) {
      ooo = { ts: [], vs: [], stale: [] };
      for (let i = from; i < to; i++) {
        if (deleted.length > 0 && coversRange(deleted, o.ts[i]!, o.ts[i]!)) continue;
        ooo.ts.push(o.ts[i]!);
        ooo.vs.push(o.vs[i]!);
        ooo.stale.push(o.stale[i]!);
      }
      if (ooo.ts.length === 0) ooo = undefined;
    }
  }
  if (minTs.length === 0 && ooo === undefined) return undefined;
  if (deleted.length > 0 && coversRange(deleted, Math.max(mint, s.minT), Math.min(maxt, s.maxT))) return undefined;
  return new HeadSeriesChunks(s.ref, s.labels, store, refs, minTs, maxTs, open, open !== undefined && !copyOpen, deleted, ooo);
}
