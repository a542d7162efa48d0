import type { Matcher } from '@pyrometer/model';
import { BlockReader, PageCache, type BlockFiles } from '../format/index.js';
import { BlockQuerier } from './block-querier.js';
import type { SeriesChunksVisitor } from './series-chunks.js';

/** Blocks a lease hands over, as a reader in another thread receives them. */
export interface BlockLease {
  /** The files of the blocks overlapping the leased range, oldest first. */
  readonly files: readonly BlockFiles[];
  /** Gives the blocks back (once); their files must not be read afterwards. */
  release(): void;
}

/**
 * The blocks a query worker thread reads itself, through the files the TSDB's thread keeps open
 * and lends it for the duration of a query (see {@link BlockLease}): readers are attached once per
 * block and kept while the lender keeps lending the block, through one page cache of this thread.
 * Single-threaded (one per worker).
 */
export class AttachedBlocks {
  private readonly cache: PageCache;
  private readonly readers = new Map<string, BlockReader>();

  constructor(cacheBytes: number) {
    this.cache = new PageCache(cacheBytes);
  }

  /**
   * Visits the series matching `matchers` in the lent blocks over [mint, maxt] (inclusive ms), block
   * by block, numbered from 0 oldest first; stops between slices once `signal` is aborted. The files
   * must stay lent until every series handed out has been read.
   */
  async visit(files: readonly BlockFiles[], matchers: readonly Matcher[], mint: number, maxt: number, visit: SeriesChunksVisitor, signal?: { readonly aborted: boolean }): Promise<void> {
    const readers = this.attach(files);
    for (let i = 0; i < readers.length && signal?.aborted !== true; i++) {
      await new BlockQuerier(readers[i]!, mint, maxt).visit(matchers, i, visit, signal);
    }
  }

  /** Readers for `files`, reusing those attached to the same files before. */
  private attach(files: readonly BlockFiles[]): BlockReader[] {
    const keys = files.map((f) => `${f.meta.ulid}:${f.index.fd}:${f.chunks.map((c) => c.fd).join(',')}`);
    const out = files.map((f, i) => {
      let reader = this.readers.get(keys[i]!);
      if (reader === undefined) this.readers.set(keys[i]!, (reader = BlockReader.attach(f, this.cache)));
      return reader;
    });
    // Readers of blocks gone since (their key never comes back) are forgotten once they pile up.
    if (this.readers.size > 2 * files.length + 64) {
      const lent = new Set(keys);
      for (const key of this.readers.keys()) if (!lent.has(key)) this.readers.delete(key);
    }
    return out;
  }
}
