import { join } from 'node:path';
import type { Labels } from '@pyrometer/model';
import { ChunkSegmentReader, type StoredChunk } from '../chunks/chunk-reader.js';
import { IndexReader, type ChunkMetaSink, type IndexSeriesEntry } from '../index/index-reader.js';
import { PageCache } from '../io/page-cache.js';
import { PositionalFile, type FileHandle } from '../io/positional-file.js';
import { readMetaFile, type BlockMeta } from '../meta.js';
import { readTombstonesFile, type Tombstones } from '../tombstones.js';

/**
 * What another thread of this process needs to read an open block without opening its files:
 * meta, tombstones and the descriptors of the index and chunk segments (structured-cloneable).
 * Valid only while the reader that handed it out keeps its files open.
 */
export interface BlockFiles {
  readonly dir: string;
  readonly meta: BlockMeta;
  readonly tombstones: Tombstones;
  readonly index: FileHandle;
  readonly chunks: readonly FileHandle[];
}

/**
 * A block opened for reading by position: meta.json and the tombstones are read at open, the
 * index and chunk segments stay open as files read through a shared page cache (only the index's
 * sampled symbol and postings offset tables are held). Immutable after open and safe to share
 * between concurrent queries. A reader from {@link open} owns its files and `close` closes them
 * (the caller makes sure no query still reads it); one from {@link attach} reads another reader's
 * files and closes nothing.
 */
export class BlockReader {
  private constructor(
    readonly dir: string,
    readonly meta: BlockMeta,
    private readonly indexFile: PositionalFile,
    private readonly index: IndexReader,
    private readonly chunkReader: ChunkSegmentReader,
    /** Deleted intervals per series ref. */
    readonly tombstones: Tombstones,
  ) {}

  static async open(dir: string, cache: PageCache): Promise<BlockReader> {
    const meta = await readMetaFile(dir);
    const tombstones = await readTombstonesFile(join(dir, 'tombstones'));
    const indexFile = PositionalFile.open(join(dir, 'index'), cache);
    let chunks: ChunkSegmentReader | undefined;
    try {
      const index = IndexReader.open(indexFile);
      chunks = ChunkSegmentReader.open(join(dir, 'chunks'), cache);
      return new BlockReader(dir, meta, indexFile, index, chunks, tombstones);
    } catch (err) {
      indexFile.close();
      chunks?.close();
      throw err;
    }
  }

  /** A reader over the files of a block another reader of this process has open (see {@link BlockFiles}). */
  static attach(files: BlockFiles, cache: PageCache): BlockReader {
    const indexFile = PositionalFile.attach(files.index, cache);
    const chunks = ChunkSegmentReader.attach(join(files.dir, 'chunks'), files.chunks, cache);
    return new BlockReader(files.dir, files.meta, indexFile, IndexReader.open(indexFile), chunks, files.tombstones);
  }

  /** What another thread needs to attach to this block (valid while this reader is open). */
  files(): BlockFiles {
    return { dir: this.dir, meta: this.meta, tombstones: this.tombstones, index: this.indexFile.handle(), chunks: this.chunkReader.handles() };
  }

  /** Bytes of the block's index and chunk segment files. */
  get size(): number {
    return this.indexFile.size + this.chunkReader.size;
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

  /** Labels of the series `ref`, its chunk metas overlapping [mint, maxt] appended to `metas` (see IndexReader.seriesChunks). */
  seriesChunks(ref: number, mint: number, maxt: number, metas: ChunkMetaSink): Labels {
    return this.index.seriesChunks(ref, mint, maxt, metas);
  }

  /** The stored chunk at `ref` (from a chunk meta), CRC-checked; `data` is a view, do not modify. */
  chunk(ref: number): StoredChunk {
    return this.chunkReader.chunk(ref);
  }

  /** The data of the chunk at `ref`, CRC-checked, which must have `encoding` (a view, do not modify). */
  chunkData(ref: number, encoding: number): Uint8Array {
    return this.chunkReader.chunkData(ref, encoding);
  }

  /** Closes the files this reader owns. */
  close(): void {
    this.indexFile.close();
    this.chunkReader.close();
  }
}

/** Opens the block in `dir` with a page cache of its own (for tools and tests; a DB shares one cache). */
export function openBlock(dir: string, cache = new PageCache(4 * 1024 * 1024)): Promise<BlockReader> {
  return BlockReader.open(dir, cache);
}
