/** Default page size of a {@link PageCache}: big enough for sequential chunk reads, small enough for index lookups. */
export const DEFAULT_PAGE_SIZE = 64 * 1024;

/** A file whose pages a {@link PageCache} holds: it forgets page `n` when the cache evicts it. */
export interface PagedFile {
  dropPage(n: number): void;
}

/**
 * The budget of the file pages the positional files of one thread (one TSDB's blocks, or one
 * query worker's) keep in memory: each file holds its cached pages itself (indexed by page
 * number), the cache remembers in which order they were read and makes the oldest ones be
 * dropped once the cached bytes exceed the budget (first in, first out: reads of blocks are
 * mostly sequential scans, where recency says little). Dropping only releases the file's
 * reference: a view into a page stays valid for as long as its holder keeps it. Synchronous and
 * single-threaded, like the event loop it serves.
 */
export class PageCache {
  private files: PagedFile[] = [];
  private pages: number[] = [];
  private sizes: number[] = [];
  private oldest = 0;
  private cachedBytes = 0;

  constructor(
    /** Bytes of pages kept at most. */
    readonly budgetBytes: number,
    readonly pageSize = DEFAULT_PAGE_SIZE,
  ) {}

  /** Bytes held now. */
  get bytes(): number {
    return this.cachedBytes;
  }

  /** Records that `file` now holds page `page` of `size` bytes; makes the oldest pages be dropped beyond the budget. */
  added(file: PagedFile, page: number, size: number): void {
    this.files.push(file);
    this.pages.push(page);
    this.sizes.push(size);
    this.cachedBytes += size;
    while (this.cachedBytes > this.budgetBytes && this.oldest < this.files.length) {
      const i = this.oldest++;
      this.files[i]!.dropPage(this.pages[i]!);
      this.cachedBytes -= this.sizes[i]!;
    }
    // Compact the queue once its dropped prefix dominates.
    if (this.oldest > 1024 && this.oldest * 2 > this.files.length) {
      this.files = this.files.slice(this.oldest);
      this.pages = this.pages.slice(this.oldest);
      this.sizes = this.sizes.slice(this.oldest);
      this.oldest = 0;
    }
  }
}
