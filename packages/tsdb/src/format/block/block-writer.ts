import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '@pyrometer/model';
import { ChunkEncoding } from '../chunkenc/xor-chunk.js';
import { ChunkSegmentWriter } from '../chunks/chunk-writer.js';
import { misuseError } from '../errors.js';
import { syncDir } from '../fs-util.js';
import { IndexWriter, type ChunkMeta } from '../index/index-writer.js';
import { writeMetaFile, type BlockDesc, type BlockMeta } from '../meta.js';
import { writeBlockTombstones } from '../tombstones.js';
import { UlidGenerator } from '../ulid.js';

/** One chunk to store: its first and last sample times (ms, inclusive) and its encoded data. */
export interface BlockChunk {
  mint: number;
  maxt: number;
  /** Chunk data as produced by `XorChunk.bytes()` (no length prefix, encoding byte or CRC). */
  bytes: Uint8Array;
  /** Defaults to XOR. */
  encoding?: number;
}

export interface BlockSeries {
  labels: Labels;
  /** Ordered by time, not overlapping. */
  chunks: readonly BlockChunk[];
}

/** What a block is: its time range and compaction history. */
export interface BlockWriterOptions {
  /** First sample time of the block's range (ms, inclusive). */
  mint: number;
  /** End of the block's range (ms, exclusive), as meta.json's maxTime. */
  maxt: number;
  /** Compaction history; default level 1 with the block itself as its only source. */
  compaction?: { level: number; sources?: string[]; parents?: BlockDesc[] };
  /** Names the block; default a fresh generator on the system clock. */
  ulids?: UlidGenerator;
  /** Maximum chunk segment file size (default 512 MiB). */
  chunkSegmentSize?: number;
}

export interface WriteBlockOptions extends BlockWriterOptions {
  /** Series in any order; label sets must be unique. */
  series: readonly BlockSeries[];
}

/**
 * Writes one block front to back, series by series, so a block of any size costs the memory of
 * one series' chunks plus the index's postings: everything goes under `<ulid>.tmp-for-creation`
 * (chunk segments and index streamed to disk, then tombstones and meta.json, each fsynced), and
 * {@link finish} renames the directory into place and fsyncs the parent, so a crash leaves either
 * no block or a whole one (`*.tmp*` leftovers are removed when the database opens). Series must be
 * added in `Labels.compare` order; every label string must be among the symbols given at creation.
 * Throws an `internal` StorageError for invalid input (and then call {@link abort}). One owner,
 * synchronous.
 */
export class BlockWriter {
  readonly ulid: string;
  private readonly tmp: string;
  private readonly chunks: ChunkSegmentWriter;
  private readonly index: IndexWriter;
  private numSamples = 0;
  private numSeries = 0;
  private numChunks = 0;

  constructor(
    private readonly parentDir: string,
    private readonly options: BlockWriterOptions,
    symbols: Iterable<string>,
  ) {
    if (!(options.maxt > options.mint)) throw misuseError(`block range [${options.mint}, ${options.maxt}) is empty`);
    this.ulid = (options.ulids ?? new UlidGenerator()).next();
    this.tmp = join(parentDir, `${this.ulid}.tmp-for-creation`);
    mkdirSync(join(this.tmp, 'chunks'), { recursive: true });
    this.chunks = new ChunkSegmentWriter(join(this.tmp, 'chunks'), options.chunkSegmentSize);
    this.index = new IndexWriter(join(this.tmp, 'index'), symbols);
  }

  /** Writes a series' chunks (ordered by time, not overlapping, within the block's range) and its index entry. */
  addSeries(labels: Labels, chunks: readonly BlockChunk[]): void {
    const { mint, maxt } = this.options;
    const metas: ChunkMeta[] = [];
    for (const c of chunks) {
      if (c.mint < mint || c.maxt >= maxt) throw misuseError(`chunk [${c.mint}, ${c.maxt}] of ${labels.toString()} is outside the block range [${mint}, ${maxt})`);
      const encoding = c.encoding ?? ChunkEncoding.XOR;
      metas.push({ mint: c.mint, maxt: c.maxt, ref: this.chunks.write(encoding, c.bytes) });
      if (encoding === ChunkEncoding.XOR && c.bytes.length >= 2) this.numSamples += (c.bytes[0]! << 8) | c.bytes[1]!;
      this.numChunks++;
    }
    this.index.addSeries(labels, metas);
    this.numSeries++;
  }

  /** Completes the block and moves it into place; returns its ULID. */
  finish(): string {
    this.chunks.close();
    syncDir(join(this.tmp, 'chunks'));
    this.index.finish();
    writeBlockTombstones(this.tmp, new Map());
    const o = this.options;
    const compaction: BlockMeta['compaction'] = { level: o.compaction?.level ?? 1, sources: o.compaction?.sources ?? [this.ulid] };
    if (o.compaction?.parents !== undefined) compaction.parents = o.compaction.parents;
    writeMetaFile(this.tmp, { ulid: this.ulid, minTime: o.mint, maxTime: o.maxt, stats: { numSamples: this.numSamples, numSeries: this.numSeries, numChunks: this.numChunks }, compaction, version: 1 });
    renameSync(this.tmp, join(this.parentDir, this.ulid));
    syncDir(this.parentDir);
    return this.ulid;
  }

  /** Removes what was written (after a failure). */
  abort(): void {
    try {
      this.chunks.close();
      this.index.abandon();
    } catch {
      // closing after a failed write may fail too; the directory goes either way
    }
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

/**
 * Writes a complete block from series given in any order (sorted here) into `parentDir/<ulid>`
 * and returns the ULID; see {@link BlockWriter}. Throws an `internal` StorageError for invalid
 * input (duplicate series, overlapping chunks) and leaves no directory behind.
 */
export async function writeBlock(parentDir: string, options: WriteBlockOptions): Promise<string> {
  const series = [...options.series].sort((a, b) => Labels.compare(a.labels, b.labels));
  for (let i = 1; i < series.length; i++) {
    if (Labels.compare(series[i - 1]!.labels, series[i]!.labels) === 0) throw misuseError(`duplicate series ${series[i]!.labels.toString()} in block`);
  }
  const symbols = new Set<string>();
  for (const s of series) s.labels.forEach((n, v) => symbols.add(n).add(v));
  const writer = new BlockWriter(parentDir, options, symbols);
  try {
    for (const s of series) writer.addSeries(s.labels, s.chunks);
    return writer.finish();
  } catch (err) {
    writer.abort();
    throw err;
  }
}
