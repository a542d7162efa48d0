import { join } from 'node:path';
import { ChunkSegmentReader, type StoredChunk } from '../chunks/chunk-reader.js';
import { IndexReader, type IndexSeriesEntry } from '../index/index-reader.js';
import { readMetaFile, type BlockMeta } from '../meta.js';
import { readTombstonesFile, type Interval } from '../tombstones.js';

/**
 * A block opened for reading: meta.json, the index, the tombstones and the chunk segments, all
 * read into memory at open (simple; the memory cost is the block's size on disk, see
 * docs/format.md). Immutable after open and safe to share between concurrent queries; the engine
 * decides when to drop it (after which its buffers are garbage-collected).
 */
export class BlockReader {
  private constructor(
    readonly dir: string,
    readonly meta: BlockMeta,
    private readonly index: IndexReader,
    private readonly chunkReader: ChunkSegmentReader,
    /** Deleted intervals per series ref. */
    readonly tombstones: ReadonlyMap<number, readonly Interval[]>,
  ) {}

  static async open(dir: string): Promise<BlockReader> {
    const meta = await readMetaFile(dir);
    const [index, chunks, tombstones] = await Promise.all([IndexReader.open(join(dir, 'index')), ChunkSegmentReader.open(join(dir, 'chunks')), readTombstonesFile(join(dir, 'tombstones'))]);
    return new BlockReader(dir, meta, index, chunks, tombstones);
  }

  /** Bytes held in memory for this block (index + chunk segments). */
  get size(): number {
    return this.index.size + this.chunkReader.size;
  }

  /** Label names occurring in the block, sorted. */
  labelNames(): string[] {
    return this.index.labelNames();
  }

  /** Values of label `name` in the block, sorted. */
  labelValues(name: string): string[] {
    return this.index.labelValues(name);
  }

  /** Series refs having `name="value"`, ascending. */
  postings(name: string, value: string): Uint32Array {
    return this.index.postings(name, value);
  }

  /** All series refs, ascending (which is label order). */
  allPostings(): Uint32Array {
    return this.index.allPostings();
  }

  /** Labels and chunk metas of the series `ref`. */
  series(ref: number): IndexSeriesEntry {
    return this.index.series(ref);
  }

  /** The stored chunk at `ref` (from a chunk meta), CRC-checked; `data` is a view, do not modify. */
  chunk(ref: number): StoredChunk {
    return this.chunkReader.chunk(ref);
  }
}

/** Opens the block in `dir`; see {@link BlockReader}. */
export function openBlock(dir: string): Promise<BlockReader> {
  return BlockReader.open(dir);
}

