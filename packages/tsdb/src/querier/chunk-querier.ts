import type { Matcher } from '@pyrometer/model';
import { mergeQueriers, StorageError, type LabelResult, type Querier, type SelectHints, type SeriesSet } from '@pyrometer/storage';
import type { HeadQuerier } from '../head/head-read.js';
import type { BlockQuerier } from './block-querier.js';
import { groupSeriesChunks, type SeriesChunks, type SeriesChunksVisitor } from './series-chunks.js';

/**
 * The TSDB's read view over the inclusive range [mint, maxt] (ms): blocks oldest first, then the
 * head. As a {@link Querier}, select groups the sources' parts of each label set into one series
 * (parts in disjoint time ranges walked chunk after chunk, overlapping ones merged; on equal
 * timestamps the earlier source wins). {@link visit} hands out the parts still encoded, per source,
 * for a reader that decodes chunks itself (a query worker). Call `close` when done: it releases
 * the blocks this querier holds.
 */
export class ChunkQuerier implements Querier {
  private readonly merged: Querier;
  private closed = false;

  constructor(
    readonly mint: number,
    readonly maxt: number,
    private readonly blocks: readonly BlockQuerier[],
    private readonly head: HeadQuerier | undefined,
  ) {
    this.merged = mergeQueriers(...blocks, ...(head === undefined ? [] : [head]));
  }

  async select(matchers: readonly Matcher[], options: { sortSeries?: boolean; hints?: SelectHints } = {}): Promise<SeriesSet> {
    const sources: SeriesChunks[][] = Array.from({ length: this.blocks.length + 1 }, () => []);
    await this.visitSources(matchers, (source, s) => sources[source]!.push(s), undefined, true);
    return { series: groupSeriesChunks(sources, this.mint, this.maxt, options.sortSeries !== false, options.hints?.limit ?? 0), warnings: [] };
  }

  /**
   * Visits every series matching all matchers (at least one), source by source, unsorted. Sources
   * are numbered blocks oldest first, then the head. The head is visited in one synchronous step
   * (a commit is seen by all of its series or none; each head series handed out, and its open
   * chunk, is valid only during the call: copy what you keep); blocks in slices with event-loop
   * turns between them. Once `signal` is aborted no
   * further slice is visited.
   */
  visit(matchers: readonly Matcher[], visit: SeriesChunksVisitor, signal?: { readonly aborted: boolean }): Promise<void> {
    return this.visitSources(matchers, visit, signal, false);
  }

  private async visitSources(matchers: readonly Matcher[], visit: SeriesChunksVisitor, signal: { readonly aborted: boolean } | undefined, copyOpen: boolean): Promise<void> {
    if (this.closed) throw new StorageError('closed', 'querier is closed');
    if (matchers.length === 0) throw new StorageError('invalid_sample', 'select needs at least one matcher');
    for (let i = 0; i < this.blocks.length && signal?.aborted !== true; i++) await this.blocks[i]!.visit(matchers, i, visit, signal);
    if (this.head !== undefined && signal?.aborted !== true) this.head.visit(matchers, this.blocks.length, visit, copyOpen);
  }

  labelValues(name: string, matchers?: readonly Matcher[], options?: { limit?: number }): Promise<LabelResult> {
    return this.merged.labelValues(name, matchers, options);
  }

  labelNames(matchers?: readonly Matcher[], options?: { limit?: number }): Promise<LabelResult> {
    return this.merged.labelNames(matchers, options);
  }

  close(): Promise<void> {
    this.closed = true;
    return this.merged.close();
  }
}
