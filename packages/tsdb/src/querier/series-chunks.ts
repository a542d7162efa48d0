import type { Labels } from '@pyrometer/model';
import { ArraySampleIterator, MergeSampleIterator, type SampleIterator, type Series } from '@pyrometer/storage';
import type { OooSamples } from '../head/head-series.js';
import { ChunksIterator } from './chunks-iterator.js';

/**
 * One series as one source (a block or the head) holds it over a select's range, still encoded:
 * what a chunk-level select hands out, and what a query worker needs to iterate the series on its
 * own. A visitor receives views into the TSDB's memory that are valid only during the call (the
 * head's open chunk keeps growing): copy what you keep.
 */
export interface SeriesChunks {
  readonly labels: Labels;
  /** XOR chunk data (no length, encoding or CRC), oldest first, non-overlapping. */
  readonly chunks: readonly Uint8Array[];
  /** The inclusive max time (ms) of each chunk. */
  readonly chunkMaxT: readonly number[];
  /** Deleted intervals as flat, sorted, inclusive `[start, end]` pairs (ms); empty when none. */
  readonly deleted: readonly number[];
  /** Out-of-order samples within the select's range (head only), already without deleted ones. */
  readonly ooo: OooSamples | undefined;
}

/**
 * Called once per matching series and source. `source` numbers the sources of one chunk querier:
 * blocks oldest first, then the head; the same label set may arrive from several sources.
 */
export type SeriesChunksVisitor = (source: number, series: SeriesChunks) => void;

/** A series over one source's chunks, bounded to [mint, maxt] (inclusive ms). */
export class ChunkSeries implements Series {
  constructor(
    private readonly data: SeriesChunks,
    private readonly mint: number,
    private readonly maxt: number,
  ) {}

  get labels(): Labels {
    return this.data.labels;
  }

  iterator(): SampleIterator {
    const d = this.data;
    const inOrder = new ChunksIterator(d.chunks, d.chunkMaxT, this.mint, this.maxt, d.deleted);
    if (d.ooo === undefined) return inOrder;
    return new MergeSampleIterator([inOrder, new ArraySampleIterator(d.ooo.ts, d.ooo.vs, d.ooo.stale)]);
  }
}

/**
 * The series that the parts of one label set make together (parts in source order: on equal
 * timestamps the earlier part wins, as the merged querier does), bounded to [mint, maxt]. The
 * parts must not be modified afterwards.
 */
export function seriesFromChunks(parts: readonly SeriesChunks[], mint: number, maxt: number): Series {
  if (parts.length === 1) return new ChunkSeries(parts[0]!, mint, maxt);
  const series = parts.map((p) => new ChunkSeries(p, mint, maxt));
  return { labels: parts[0]!.labels, iterator: () => new MergeSampleIterator(series.map((s) => s.iterator())) };
}
