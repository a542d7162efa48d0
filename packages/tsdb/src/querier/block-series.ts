import { matchesAll, type Labels, type Matcher } from '@pyrometer/model';
import { StorageError } from '@pyrometer/storage';
import { ChunkEncoding, type BlockReader } from '../format/index.js';
import { addInterval, coversRange } from './intervals.js';
import type { SeriesChunks } from './series-chunks.js';

/** A deletion applied on top of a block's tombstones (used to rewrite a block without it). */
export interface ExtraDeletion {
  readonly matchers: readonly Matcher[];
  readonly mint: number;
  readonly maxt: number;
}

/** One series of a block over a range: its chunk metas, with the chunk data read from the block on demand. */
class BlockSeriesChunks implements SeriesChunks {
  constructor(
    private readonly block: BlockReader,
    readonly labels: Labels,
    readonly chunkMinT: number[],
    readonly chunkMaxT: number[],
    private readonly refs: number[],
    readonly deleted: readonly number[],
  ) {}

  get ooo(): undefined {
    return undefined;
  }

  chunk(i: number): Uint8Array {
    const c = this.block.chunk(this.refs[i]!);
    if (c.encoding !== ChunkEncoding.XOR) throw new StorageError('corruption', `block ${this.block.meta.ulid}: chunk of ${this.labels.toString()} has encoding ${c.encoding}, only XOR float chunks are read`);
    return c.data;
  }
}

/**
 * The chunks of series `ref` of `block` overlapping [mint, maxt] (inclusive ms), with the
 * block's tombstones (and `extra`) as deleted intervals; undefined when none is left. Reads the
 * series entry from the index; chunk data is read when the walk reaches it.
 */
export function blockSeriesChunks(block: BlockReader, ref: number, mint: number, maxt: number, extra: ExtraDeletion | undefined): SeriesChunks | undefined {
  const entry = block.series(ref);
  const minTs: number[] = [];
  const maxTs: number[] = [];
  const refs: number[] = [];
  for (const c of entry.chunks) {
    if (c.maxt < mint || c.mint > maxt) continue;
    minTs.push(c.mint);
    maxTs.push(c.maxt);
    refs.push(c.ref);
  }
  if (refs.length === 0) return undefined;
  let deleted = flatIntervals(block, ref);
  if (extra !== undefined && matchesAll(extra.matchers, entry.labels)) deleted = addInterval(deleted, extra.mint, extra.maxt);
  if (deleted.length > 0 && coversRange(deleted, Math.max(mint, minTs[0]!), Math.min(maxt, maxTs[maxTs.length - 1]!))) return undefined;
  return new BlockSeriesChunks(block, entry.labels, minTs, maxTs, refs, deleted);
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
