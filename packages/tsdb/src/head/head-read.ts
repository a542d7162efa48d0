import { Labels, type Matcher } from '@pyrometer/model';
import {
  ArraySampleIterator,
  labelNamesOf,
  labelResult,
  labelValuesOf,
  MergeSampleIterator,
  StorageError,
  type LabelResult,
  type Querier,
  type SampleIterator,
  type SelectHints,
  type Series,
  type SeriesSet,
} from '@pyrometer/storage';
import { ChunksIterator } from '../querier/chunks-iterator.js';
import { coversRange } from '../querier/intervals.js';
import type { Head } from './head.js';
import type { HeadSeries, OooSamples } from './head-series.js';

/** A series as handed out by a querier: its chunks as they were at select time, bounded to [mint, maxt]. */
export class ChunkSeries implements Series {
  constructor(
    readonly labels: Labels,
    private readonly chunks: readonly Uint8Array[],
    private readonly chunkMaxT: readonly number[],
    private readonly mint: number,
    private readonly maxt: number,
    private readonly deleted: readonly number[] = [],
    private readonly ooo: OooSamples | undefined = undefined,
  ) {}

  iterator(): SampleIterator {
    const inOrder = new ChunksIterator(this.chunks, this.chunkMaxT, this.mint, this.maxt, this.deleted);
    if (this.ooo === undefined) return inOrder;
    const o = this.ooo;
    return new MergeSampleIterator([inOrder, new ArraySampleIterator(o.ts, o.vs, o.stale)]);
  }
}

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
    if (!this.overlapsHead()) return { series: out, warnings: [] };
    const { mint, maxt } = this;
    for (const ref of this.head.postings.forMatchers(matchers)) {
      const s = this.head.seriesByRef(ref);
      if (s === undefined || s.maxT < mint || s.minT > maxt) continue;
      const series = snapshot(s, mint, maxt, this.head.tombstones.get(ref));
      if (series !== undefined) out.push(series);
    }
    if (options.sortSeries !== false) out.sort((a, b) => Labels.compare(a.labels, b.labels));
    const limit = options.hints?.limit ?? 0;
    if (limit > 0 && out.length > limit) out.length = limit;
    return { series: out, warnings: [] };
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

function snapshot(s: HeadSeries, mint: number, maxt: number, deleted: readonly number[] = []): ChunkSeries | undefined {
  const chunks: Uint8Array[] = [];
  const maxTs: number[] = [];
  for (let i = 0; i < s.chunks.length; i++) {
    if (s.chunkMaxT[i]! < mint || s.chunkMinT[i]! > maxt) continue;
    chunks.push(s.chunks[i]!);
    maxTs.push(s.chunkMaxT[i]!);
  }
  if (s.openMinT <= maxt) {
    const open = s.openSnapshot();
    if (open !== undefined) {
      chunks.push(open);
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
  if (chunks.length === 0 && ooo === undefined) return undefined;
  if (deleted.length > 0 && coversRange(deleted, Math.max(mint, s.minT), Math.min(maxt, s.maxT))) return undefined;
  return new ChunkSeries(s.labels, chunks, maxTs, mint, maxt, deleted, ooo);
}
