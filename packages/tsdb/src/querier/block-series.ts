import { matchesAll, type Labels, type Matcher } from '@pyrometer/model';
import { ChunkEncoding, type BlockReader, type ChunkMetaSink } from '../format/index.js';
import { addInterval, coversRange } from './intervals.js';
import type { SeriesChunks } from './series-chunks.js';

/** A deletion applied on top of a block's tombstones (used to rewrite a block without it). */
export interface ExtraDeletion {
  readonly matchers: readonly Matcher[];
  readonly mint: number;
  readonly maxt: number;
}

/** One series of a block over a range: its chunk metas (in a slab shared with other series), chunk data read on demand. */
class BlockSeriesChunks implements SeriesChunks {
  constructor(
    private readonly block: BlockReader,
    readonly labels: Labels,
    private readonly metas: Float64Array,
    private readonly start: number,
    readonly chunkCount: number,
    readonly deleted: readonly number[],
  ) {}

  get ooo(): undefined {
    return undefined;
  }

  get stableChunks(): number {
    return this.chunkCount;
  }

  minTime(i: number): number {
    return this.metas[this.start + 3 * i]!;
  }

  maxTime(i: number): number {
    return this.metas[this.start + 3 * i + 1]!;
  }

  chunk(i: number): Uint8Array {
    return this.block.chunkData(this.metas[this.start + 3 * i + 2]!, ChunkEncoding.XOR);
  }
}

const NO_DELETIONS: readonly number[] = [];

/**
 * The chunks of series `ref` of `block` overlapping [mint, maxt] (inclusive ms), with the
 * block's tombstones (and `extra`) as deleted intervals; undefined when none is left. Reads the
 * series entry from the index into `metas`; chunk data is read when the walk reaches it.
 */
export function blockSeriesChunks(block: BlockReader, ref: number, mint: number, maxt: number, extra: ExtraDeletion | undefined, metas: ChunkMetaSink): SeriesChunks | undefined {
  const labels = block.seriesChunks(ref, mint, maxt, metas);
  const count = (metas.used - metas.start) / 3;
  if (count === 0) return undefined;
  const data = metas.data;
  const start = metas.start;
  let deleted = block.tombstones.size === 0 ? NO_DELETIONS : flatIntervals(block, ref);
  if (extra !== undefined && matchesAll(extra.matchers, labels)) deleted = addInterval(deleted, extra.mint, extra.maxt);
  if (deleted.length > 0 && coversRange(deleted, Math.max(mint, data[start]!), Math.min(maxt, data[start + 3 * count - 2]!))) return undefined;
  return new BlockSeriesChunks(block, labels, data, start, count, deleted);
}

function flatIntervals(block: BlockReader, ref: number): readonly number[] {
  const list = block.tombstones.get(ref);
  if (list === undefined) return NO_DELETIONS;
  const out: number[] = [];
  for (const iv of [...list].sort((a, b) => a.mint - b.mint)) {
    const n = out.length;
    if (n > 0 && iv.mint <= out[n - 1]! + 1) out[n - 1] = Math.max(out[n - 1]!, iv.maxt);
    else out.push(iv.mint, iv.maxt);
  }
  return out;
}
