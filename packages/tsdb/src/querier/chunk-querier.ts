import type { Matcher } from '@pyrometer/model';
import { mergeQueriers, type LabelResult, type Querier } from '@pyrometer/storage';
import type { HeadQuerier } from '../head/head-read.js';
import type { BlockQuerier } from './block-querier.js';
import type { SeriesChunksVisitor } from './series-chunks.js';

/**
 * A read view like {@link Querier} over the inclusive range [mint, maxt] (ms), whose select hands
 * out series still encoded, per source, instead of merged iterators: for a reader that decodes
 * chunks itself, such as a query worker thread. Sources are numbered blocks oldest first, then
 * the head (merge parts with equal labels in source order: on equal timestamps the earlier wins).
 * Label queries answer exactly as the merged querier. Call `close` when done.
 */
export class ChunkQuerier {
  private readonly merged: Querier;

  constructor(
    readonly mint: number,
    readonly maxt: number,
    private readonly blocks: readonly BlockQuerier[],
    private readonly head: HeadQuerier | undefined,
  ) {
    this.merged = mergeQueriers(...blocks, ...(head === undefined ? [] : [head]));
  }

  /**
   * Visits every series matching all matchers (at least one), source by source, unsorted. The
   * head is visited in one synchronous step (a commit is seen by all of its series or none);
   * blocks in slices with event-loop turns between them. Once `signal` is aborted no further slice
   * is visited. Resolves with warnings about data left out (corrupt chunks).
   */
  async select(matchers: readonly Matcher[], visit: SeriesChunksVisitor, signal?: { readonly aborted: boolean }): Promise<string[]> {
    const warnings: string[] = [];
    for (let i = 0; i < this.blocks.length && signal?.aborted !== true; i++) warnings.push(...(await this.blocks[i]!.visit(matchers, i, visit, signal)));
    if (this.head !== undefined && signal?.aborted !== true) this.head.visit(matchers, this.blocks.length, visit);
    return warnings;
  }

  labelValues(name: string, matchers?: readonly Matcher[], options?: { limit?: number }): Promise<LabelResult> {
    return this.merged.labelValues(name, matchers, options);
  }

  labelNames(matchers?: readonly Matcher[], options?: { limit?: number }): Promise<LabelResult> {
    return this.merged.labelNames(matchers, options);
  }

  close(): Promise<void> {
    return this.merged.close();
  }
}
