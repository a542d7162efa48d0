import type { Labels, Matcher } from '@pyrometer/model';
import { labelNamesOf, labelResult, labelValuesOf, StorageError, type LabelResult, type Querier, type SelectHints, type SeriesSet } from '@pyrometer/storage';
import { ChunkMetaSink, type BlockReader } from '../format/index.js';
import { blockPostings } from './block-postings.js';
import { blockSeriesChunks, type ExtraDeletion } from './block-series.js';
import { groupSeriesChunks, type SeriesChunks, type SeriesChunksVisitor } from './series-chunks.js';

/** Series a block visit hands out between two turns of the event loop. */
const VISIT_SLICE = 2_000;

/**
 * Reads one persisted block over [mint, maxt] (inclusive ms). Select reads the matching series'
 * index entries; their chunks are read when an iterator reaches them (a chunk that cannot be read
 * ends that series' walk, reported by the iterator's `err()`). `close` calls `release` once, so
 * the owner can close the block's files after its last querier.
 */
export class BlockQuerier implements Querier {
  private closed = false;

  constructor(
    private readonly block: BlockReader,
    readonly mint: number,
    readonly maxt: number,
    private readonly release: () => void = () => {},
    /** A deletion applied on top of the block's tombstones (used to rewrite a block without it). */
    private readonly extraDeletion: ExtraDeletion | undefined = undefined,
  ) {}

  async select(matchers: readonly Matcher[], options: { sortSeries?: boolean; hints?: SelectHints } = {}): Promise<SeriesSet> {
    const parts: SeriesChunks[] = [];
    await this.visit(matchers, 0, (_, s) => parts.push(s));
    return { series: groupSeriesChunks([parts], this.mint, this.maxt, false, options.hints?.limit ?? 0), warnings: [] };
  }

  /**
   * Hands every matching series to `visit`, in label order, {@link VISIT_SLICE} series at a time
   * with a macrotask turn between slices, so a large block never holds the event loop for long.
   * Stops between slices once `signal` is aborted.
   */
  async visit(matchers: readonly Matcher[], source: number, visit: SeriesChunksVisitor, signal?: { readonly aborted: boolean }): Promise<void> {
    this.checkOpen();
    if (matchers.length === 0) throw new StorageError('invalid_sample', 'select needs at least one matcher');
    const refs = blockPostings(this.block, matchers);
    const metas = new ChunkMetaSink();
    for (let from = 0; from < refs.length; from += VISIT_SLICE) {
      if (from > 0) await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted) break;
      const to = Math.min(refs.length, from + VISIT_SLICE);
      for (let i = from; i < to; i++) {
        const data = blockSeriesChunks(this.block, refs[i]!, this.mint, this.maxt, this.extraDeletion, metas);
        if (data !== undefined) visit(source, data);
      }
    }
  }

  async labelValues(name: string, matchers: readonly Matcher[] = [], options: { limit?: number } = {}): Promise<LabelResult> {
    this.checkOpen();
    if (!this.overlaps()) return labelResult([]);
    if (matchers.length === 0) return labelResult(this.block.labelValues(name), options.limit);
    return labelValuesOf(this.matching(matchers), name, options.limit);
  }

  async labelNames(matchers: readonly Matcher[] = [], options: { limit?: number } = {}): Promise<LabelResult> {
    this.checkOpen();
    if (!this.overlaps()) return labelResult([]);
    if (matchers.length === 0) return labelResult(this.block.labelNames(), options.limit);
    return labelNamesOf(this.matching(matchers), options.limit);
  }

  private *matching(matchers: readonly Matcher[]): Iterable<Labels> {
    for (const ref of blockPostings(this.block, matchers)) yield this.block.series(ref).labels;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.release();
  }

  private overlaps(): boolean {
    return this.block.meta.minTime <= this.maxt && this.block.meta.maxTime > this.mint;
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageError('closed', 'querier is closed');
  }
}
