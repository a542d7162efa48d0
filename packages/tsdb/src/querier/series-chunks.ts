import { Labels } from '@pyrometer/model';
import { ArraySampleIterator, MergeSampleIterator, type SampleIterator, type Series } from '@pyrometer/storage';
import type { OooSamples } from '../head/head-series.js';
import { ChunksIterator } from './chunks-iterator.js';

/**
 * One series as one source (a block or the head) holds it over a select's range, still encoded:
 * what a chunk-level select hands out, and what a query worker needs to iterate the series on its
 * own. Chunks of the head (and of a transfer) are in memory; chunks of a block are read from disk
 * when {@link chunk} is called, so holding a SeriesChunks costs its chunk metas, not its data.
 */
export interface SeriesChunks {
  readonly labels: Labels;
  /** The inclusive time (ms) of each chunk's first sample, oldest first; chunks do not overlap. */
  readonly chunkMinT: ArrayLike<number>;
  /** The inclusive time (ms) of each chunk's last sample. */
  readonly chunkMaxT: ArrayLike<number>;
  /**
   * The XOR data (no length, encoding or CRC) of chunk `i`. A view: do not modify it, and for the
   * head's open chunk valid only during a visit. Throws a `corruption` StorageError for a chunk that
   * cannot be read.
   */
  chunk(i: number): Uint8Array;
  /** Deleted intervals as flat, sorted, inclusive `[start, end]` pairs (ms); empty when none. */
  readonly deleted: readonly number[];
  /** Out-of-order samples within the select's range (head only), already without deleted ones. */
  readonly ooo: OooSamples | undefined;
}

/** A {@link SeriesChunks} whose chunk data is in memory (head chunks, or chunks received from another thread). */
export class MemSeriesChunks implements SeriesChunks {
  constructor(
    readonly labels: Labels,
    readonly chunks: readonly Uint8Array[],
    readonly chunkMinT: readonly number[],
    readonly chunkMaxT: readonly number[],
    readonly deleted: readonly number[],
    readonly ooo: OooSamples | undefined,
  ) {}

  chunk(i: number): Uint8Array {
    return this.chunks[i]!;
  }
}

/**
 * Called once per matching series and source. `source` numbers the sources of one chunk querier:
 * blocks oldest first, then the head; the same label set may arrive from several sources.
 */
export type SeriesChunksVisitor = (source: number, series: SeriesChunks) => void;

/** A series over the parts of one label set, bounded to [mint, maxt] (inclusive ms). */
class ChunkSeries implements Series {
  constructor(
    private readonly parts: readonly SeriesChunks[],
    private readonly chained: boolean,
    private readonly mint: number,
    private readonly maxt: number,
  ) {}

  get labels(): Labels {
    return this.parts[0]!.labels;
  }

  iterator(): SampleIterator {
    if (this.chained) return new ChunksIterator(this.parts, this.mint, this.maxt);
    return new MergeSampleIterator(this.parts.map((p) => partIterator(p, this.mint, this.maxt)));
  }
}

function partIterator(p: SeriesChunks, mint: number, maxt: number): SampleIterator {
  const inOrder = new ChunksIterator([p], mint, maxt);
  if (p.ooo === undefined) return inOrder;
  return new MergeSampleIterator([inOrder, new ArraySampleIterator(p.ooo.ts, p.ooo.vs, p.ooo.stale)]);
}

/**
 * The series that the parts of one label set make together, bounded to [mint, maxt]. Parts come
 * in source order (on equal timestamps the earlier part wins, as the merged querier does). Parts
 * whose chunks lie in disjoint time ranges (blocks of a time-partitioned database) are walked one
 * after another, chunk by chunk; overlapping parts, or parts with out-of-order samples, are
 * merged sample by sample. The parts must not be modified afterwards.
 */
export function seriesFromChunks(parts: readonly SeriesChunks[], mint: number, maxt: number): Series {
  const chain = chainable(parts);
  return new ChunkSeries(chain ?? parts, chain !== undefined && chain.every((p) => p.ooo === undefined), mint, maxt);
}

/** The parts in time order when their chunks do not overlap in time, else undefined. */
function chainable(parts: readonly SeriesChunks[]): readonly SeriesChunks[] | undefined {
  if (parts.length === 1) return parts;
  for (const p of parts) if (p.ooo !== undefined || p.chunkMinT.length === 0) return undefined;
  const sorted = [...parts].sort((a, b) => a.chunkMinT[0]! - b.chunkMinT[0]!);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    if (prev.chunkMaxT[prev.chunkMaxT.length - 1]! >= sorted[i]!.chunkMinT[0]!) return undefined;
  }
  return sorted;
}

/**
 * Groups series parts by label set into series bounded to [mint, maxt]: sorted by labels when
 * `sort` is set, cut to `limit` when it is positive. Parts of one label set keep their order.
 */
export function groupSeriesChunks(parts: Iterable<SeriesChunks>, mint: number, maxt: number, sort: boolean, limit: number): Series[] {
  const groups = new Map<string, SeriesChunks[]>();
  for (const p of parts) {
    const key = p.labels.key();
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [p]);
    else group.push(p);
  }
  let series: Series[] = [];
  for (const group of groups.values()) series.push(seriesFromChunks(group, mint, maxt));
  if (sort) series.sort((a, b) => Labels.compare(a.labels, b.labels));
  if (limit > 0 && series.length > limit) series = series.slice(0, limit);
  return series;
}
