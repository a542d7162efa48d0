/** Default page size of a {@link PageCache}: big enough for sequential chunk reads, small enough for index lookups. */
export const DEFAULT_PAGE_SIZE = 64 * 1024;

/**
 * A bounded cache of file pages shared by the positional files of one thread (one TSDB's blocks,
 * or one query worker's): fixed-size, immutable page buffers keyed by file and page number,
 * evicted least recently used once the cached bytes exceed the budget. Eviction only drops the
 * cache's reference: a view into a page stays valid for as long as its holder keeps it. Files get
 * their ids from {@link register}. Synchronous and single-threaded, like the event loop it serves.
 */
export class PageCache {
  private readonly pages = new Map<number, Buffer>();
  private nextFile = 1;
  private cachedBytes = 0;
  hits = 0;
  misses = 0;

  constructor(
    /** Bytes of pages kept at most. */
    readonly budgetBytes: number,
    readonly pageSize = DEFAULT_PAGE_SIZE,
  ) {}

  /** A new file id (page keys are `file * 2^24 + page`, so a file may have 16M pages). */
  register(): number {
    return this.nextFile++;
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.cachedBytes;
  }

  /** The cached page, marked most recently used, or undefined. */
  get(file: number, page: number): Buffer | undefined {
    const key = file * 16_777_216 + page;
    const found = this.pages.get(key);
    if (found === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.pages.delete(key);
    this.pages.set(key, found);
    return found;
  }

  /** Caches a page just read, evicting the least recently used pages beyond the budget. */
  put(file: number, page: number, data: Buffer): void {
    const key = file * 16_777_216 + page;
    const old = this.pages.get(key);
    if (old !== undefined) this.cachedBytes -= old.length;
    this.pages.delete(key);
    this.pages.set(key, data);
    this.cachedBytes += data.length;
    for (const [k, p] of this.pages) {
      if (this.cachedBytes <= this.budgetBytes) break;
      this.pages.delete(k);
      this.cachedBytes -= p.length;
    }
  }
}
