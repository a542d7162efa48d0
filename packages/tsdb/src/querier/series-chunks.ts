import { Labels } from '@pyrometer/model';
import { ArraySampleIterator, MergeSampleIterator, readFloatsFrom, readLatestFrom, type FloatColumns, type LatestSample, type SampleIterator, type Series } from '@pyrometer/storage';
import type { OooSamples } from '../head/head-series.js';
import { XorIterator } from '../format/index.js';
import { ChunksIterator } from './chunks-iterator.js';
import type { DecodeResumes } from './decode-resumes.js';

/**
 * One series as one source (a block or the head) holds it over a select's range, still encoded:
 * what a chunk-level select hands out, and what a query worker needs to iterate the series on its
 * own. Chunks of the head (and of a transfer) are in memory; chunks of a block are read from disk
 * when {@link chunk} is called, so holding a SeriesChunks costs its chunk metas, not its data.
 */
export interface SeriesChunks {
  readonly labels: Labels;
  /** Number of chunks, oldest first; chunks do not overlap. */
  readonly chunkCount: number;
  /** The inclusive time (ms) of chunk `i`'s first sample. */
  minTime(i: number): number;
  /** The inclusive time (ms) of chunk `i`'s last sample. */
  maxTime(i: number): number;
  /**
   * The XOR data (no length, encoding or CRC) of chunk `i`. A view: do not modify it. Throws a
   * `corruption` StorageError for a chunk that cannot be read.
   */
  chunk(i: number): Uint8Array;
  /**
   * How many leading chunks never change: their views may be kept. The others (the head's open
   * chunk, handed out by a visit as a live view) are valid only during the visit: copy them.
   */
  readonly stableChunks: number;
  /** Deleted intervals as flat, sorted, inclusive `[start, end]` pairs (ms); empty when none. */
  readonly deleted: readonly number[];
  /** Out-of-order samples within the select's range (head only), already without deleted ones. */
  readonly ooo: OooSamples | undefined;
  /**
   * The head series' ref when this part comes from the head (a head never gives one ref to two
   * label sets), so a reader can cache what it derives from the labels; undefined elsewhere.
   */
  readonly headRef?: number | undefined;
  /**
   * Resume points a reader keeps for the head series it reads again and again (with `headRef`):
   * the series' chunks are then decoded from a point before the read's range (see DecodeResumes).
   */
  readonly decodeResumes?: DecodeResumes | undefined;
}

/** A {@link SeriesChunks} whose chunk data is in memory (chunks received from another thread or a remote read); subclasses may fetch it. */
export class MemSeriesChunks implements SeriesChunks {
  constructor(
    readonly labels: Labels,
    readonly chunks: readonly Uint8Array[],
    readonly chunkMinT: readonly number[],
    readonly chunkMaxT: readonly number[],
    readonly deleted: readonly number[],
    readonly ooo: OooSamples | undefined,
  ) {}

  get chunkCount(): number {
    return this.chunkMinT.length;
  }

  get stableChunks(): number {
    return this.chunkCount;
  }

  minTime(i: number): number {
    return this.chunkMinT[i]!;
  }

  maxTime(i: number): number {
    return this.chunkMaxT[i]!;
  }

  chunk(i: number): Uint8Array {
    return this.chunks[i]!;
  }
}

/**
 * Called once per matching series and source. `source` numbers the sources of one chunk querier:
 * blocks oldest first, then the head; the same label set may arrive from several sources.
 */
export type SeriesChunksVisitor = (source: number, series: SeriesChunks) => void;

/**
 * The decoder bulk reads share: a bulk read decodes its chunks to the end synchronously, so two
 * never interleave (a lazy walk has a decoder of its own).
 */
const BULK_DECODER = new XorIterator();
/** The walk bulk reads share (reset onto each series), over {@link BULK_DECODER}. */
const BULK_WALK = new ChunksIterator([], 0, 0, BULK_DECODER);

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

  iterator(reuse?: SampleIterator): SampleIterator {
    if (this.chained) return reuse instanceof ChunksIterator ? reuse.reset(this.parts, this.mint, this.maxt) : new ChunksIterator(this.parts, this.mint, this.maxt);
    return new MergeSampleIterator(this.parts.map((p) => partIterator(p, this.mint, this.maxt)));
  }

  readFloats(mint: number, maxt: number, out: FloatColumns): Error | undefined {
    return this.readColumns(mint, maxt, out, false);
  }

  readFloatsAndMarkers(mint: number, maxt: number, out: FloatColumns): Error | undefined {
    return this.readColumns(mint, maxt, out, true);
  }

  /** The two bulk reads: a chained series in one walk over its chunks, else through its iterator. */
  private readColumns(mint: number, maxt: number, out: FloatColumns, keepMarkers: boolean): Error | undefined {
    if (this.chained) return BULK_WALK.reset(this.parts, this.mint, this.maxt).readFloats(mint, maxt, out, keepMarkers);
    return readFloatsFrom(this.iterator(), Math.max(mint, this.mint), Math.min(maxt, this.maxt), out, keepMarkers);
  }

  readLatest(mint: number, maxt: number, out: LatestSample): Error | undefined {
    if (this.chained) return BULK_WALK.reset(this.parts, this.mint, this.maxt).readLatest(mint, maxt, out);
    return readLatestFrom(this.iterator(), Math.max(mint, this.mint), Math.min(maxt, this.maxt), out);
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
  for (const p of parts) if (p.ooo !== undefined || p.chunkCount === 0) return undefined;
  const sorted = [...parts].sort((a, b) => a.minTime(0) - b.minTime(0));
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    if (prev.maxTime(prev.chunkCount - 1) >= sorted[i]!.minTime(0)) return undefined;
  }
  return sorted;
}

/**
 * Groups the series parts of several sources by label set into series bounded to [mint, maxt],
 * sorted by labels and cut to `limit` when it is positive. A source sorted by labels (as a
 * block's postings are) is merged as it is, others are sorted first (a stable sort, so parts of one
 * label set within a source keep their order). Parts of one label set keep source order (on equal
 * timestamps the earlier source wins). Merging sorted lists compares neighbours only, so the many
 * blocks of a long range cost no hashing of label sets. A single source (each label set once) is
 * taken as it is when `sort` is not asked for.
 */
export function groupSeriesChunks(sources: readonly (readonly SeriesChunks[])[], mint: number, maxt: number, sort: boolean, limit: number): Series[] {
  const nonEmpty = sources.filter((s) => s.length > 0);
  if (!sort && nonEmpty.length === 1) {
    const only = limit > 0 ? nonEmpty[0]!.slice(0, limit) : nonEmpty[0]!;
    // A loop, not `only.map((p) => …)`: a closure made per select loses its optimized code at the
    // next full collection (promql README, "Closures on a query's path").
    const out: Series[] = [];
    for (const p of only) out.push(seriesFromChunks([p], mint, maxt));
    return out;
  }
  let groups: SeriesChunks[][] = [];
  for (const source of sources) {
    if (source.length === 0) continue;
    groups = mergeSorted(groups, isSorted(source) ? source : [...source].sort((a, b) => Labels.compare(a.labels, b.labels)));
  }
  if (limit > 0 && groups.length > limit) groups.length = limit;
  return groups.map((parts) => seriesFromChunks(parts, mint, maxt));
}

function isSorted(parts: readonly SeriesChunks[]): boolean {
  for (let i = 1; i < parts.length; i++) if (Labels.compare(parts[i - 1]!.labels, parts[i]!.labels) > 0) return false;
  return true;
}

/** Merges parts sorted by labels (equal label sets adjacent) into groups sorted by labels. */
function mergeSorted(groups: SeriesChunks[][], parts: readonly SeriesChunks[]): SeriesChunks[][] {
  const out: SeriesChunks[][] = [];
  const add = (p: SeriesChunks): void => {
    const last = out[out.length - 1];
    if (last !== undefined && Labels.compare(last[0]!.labels, p.labels) === 0) last.push(p);
    else out.push([p]);
  };
  let i = 0;
  let j = 0;
  while (i < groups.length && j < parts.length) {
    const c = Labels.compare(groups[i]![0]!.labels, parts[j]!.labels);
    if (c < 0) out.push(groups[i++]!);
    else if (c > 0) add(parts[j++]!);
    else {
      groups[i]!.push(parts[j++]!);
      out.push(groups[i++]!);
    }
  }
  while (i < groups.length) out.push(groups[i++]!);
  while (j < parts.length) add(parts[j++]!);
  return out;
}
