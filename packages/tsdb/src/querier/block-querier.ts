import { matchesAll, type Labels, type Matcher } from '@pyrometer/model';
import { labelNamesOf, labelResult, labelValuesOf, StorageError, type LabelResult, type Querier, type SelectHints, type Series, type SeriesSet } from '@pyrometer/storage';
import type { Logger } from '@pyrometer/telemetry';
import type { BlockReader } from '../format/index.js';
import { blockPostings } from './block-postings.js';
import { addInterval, coversRange } from './intervals.js';
import { ChunkSeries, type SeriesChunks, type SeriesChunksVisitor } from './series-chunks.js';

/** Series a block visit hands out between two turns of the event loop. */
const VISIT_SLICE = 2_000;

/**
 * Reads one persisted block over [mint, maxt] (inclusive ms). Chunks are fetched (and
 * CRC-checked) during `select`; a series whose chunks are corrupt is left out with a warning in
 * the result and a log line, so one damaged chunk never fails the whole query.
 */
export class BlockQuerier implements Querier {
  private closed = false;

  constructor(
    private readonly block: BlockReader,
    readonly mint: number,
    readonly maxt: number,
    private readonly logger: Logger,
    /** A deletion applied on top of the block's tombstones (used to rewrite a block without it). */
    private readonly extraDeletion: { matchers: readonly Matcher[]; mint: number; maxt: number } | undefined = undefined,
  ) {}

  async select(matchers: readonly Matcher[], options: { sortSeries?: boolean; hints?: SelectHints } = {}): Promise<SeriesSet> {
    this.checkOpen();
    if (matchers.length === 0) throw new StorageError('invalid_sample', 'select needs at least one matcher');
    const out: Series[] = [];
    const warnings: string[] = [];
    const limit = options.hints?.limit ?? 0;
    for (const ref of blockPostings(this.block, matchers)) {
      const data = this.seriesChunks(ref, warnings);
      if (data === undefined) continue;
      out.push(new ChunkSeries(data, this.mint, this.maxt));
      if (limit > 0 && out.length >= limit) break;
    }
    return { series: out, warnings };
  }

  /**
   * Hands every matching series to `visit` (views into the block's memory, which never changes),
   * {@link VISIT_SLICE} series at a time with a macrotask turn between slices, so a large block
   * never holds the event loop for long. Stops between slices once `signal` is aborted. Returns
   * the warnings about skipped corrupt series.
   */
  async visit(matchers: readonly Matcher[], source: number, visit: SeriesChunksVisitor, signal?: { readonly aborted: boolean }): Promise<string[]> {
    this.checkOpen();
    if (matchers.length === 0) throw new StorageError('invalid_sample', 'select needs at least one matcher');
    const warnings: string[] = [];
    const refs = blockPostings(this.block, matchers);
    for (let from = 0; from < refs.length; from += VISIT_SLICE) {
      if (from > 0) await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted) break;
      const to = Math.min(refs.length, from + VISIT_SLICE);
      for (let i = from; i < to; i++) {
        const data = this.seriesChunks(refs[i]!, warnings);
        if (data !== undefined) visit(source, data);
      }
    }
    return warnings;
  }

  /** The chunks of series `ref` within the querier's range; a corrupt series is left out with a warning. */
  private seriesChunks(ref: number, warnings: string[]): SeriesChunks | undefined {
    const { mint, maxt, block } = this;
    const entry = block.series(ref);
    const chunks: Uint8Array[] = [];
    const maxTs: number[] = [];
    let first = Infinity;
    let last = -Infinity;
    try {
      for (const c of entry.chunks) {
        if (c.maxt < mint || c.mint > maxt) continue;
        chunks.push(block.chunk(c.ref).data);
        maxTs.push(c.maxt);
        first = Math.min(first, c.mint);
        last = Math.max(last, c.maxt);
      }
    } catch (err) {
      const msg = `block ${block.meta.ulid}: skipped series ${entry.labels.toString()}: ${(err as Error).message}`;
      this.logger.warn('Skipping series with a corrupt chunk', { block: block.meta.ulid, series: entry.labels.toString(), err: (err as Error).message });
      warnings.push(msg);
      return undefined;
    }
    if (chunks.length === 0) return undefined;
    let deleted = flatIntervals(block, ref);
    const extra = this.extraDeletion;
    if (extra !== undefined && matchesAll(extra.matchers, entry.labels)) deleted = addInterval(deleted, extra.mint, extra.maxt);
    if (deleted.length > 0 && coversRange(deleted, Math.max(mint, first), Math.min(maxt, last))) return undefined;
    return { labels: entry.labels, chunks, chunkMaxT: maxTs, deleted, ooo: undefined };
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
    this.closed = true;
  }

  private overlaps(): boolean {
    return this.block.meta.minTime <= this.maxt && this.block.meta.maxTime > this.mint;
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageError('closed', 'querier is closed');
  }
}

function flatIntervals(block: BlockReader, ref: number): number[] {
  const list = block.tombstones.get(ref);
  if (list === undefined) return [];
  const out: number[] = [];
  for (const iv of [...list].sort((a, b) => a.mint - b.mint)) {
    const n = out.length;
    if (n > 0 && iv.mint <= out[n - 1]! + 1) out[n - 1] = Math.max(out[n - 1]!, iv.maxt);
    else out.push(iv.mint, iv.maxt);
  }
  return out;
}
