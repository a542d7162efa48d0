import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '@pyrometer/model';
import { ChunkEncoding } from '../chunkenc/xor-chunk.js';
import { ChunkSegmentWriter } from '../chunks/chunk-writer.js';
import { misuseError } from '../errors.js';
import { syncDir } from '../fs-util.js';
import { writeIndex, type ChunkMeta, type IndexSeries } from '../index/index-writer.js';
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

export interface WriteBlockOptions {
  /** First sample time of the block's range (ms, inclusive). */
  mint: number;
  /** End of the block's range (ms, exclusive), as meta.json's maxTime. */
  maxt: number;
  /** Series in any order; label sets must be unique. */
  series: readonly BlockSeries[];
  /** Compaction history; default level 1 with the block itself as its only source. */
  compaction?: { level: number; sources?: string[]; parents?: BlockDesc[] };
  /** Names the block; default a fresh generator on the system clock. */
  ulids?: UlidGenerator;
  /** Maximum chunk segment file size (default 512 MiB). */
  chunkSegmentSize?: number;
}

/**
 * Writes a complete block into `parentDir/<ulid>` and returns the ULID. Everything is written
 * under `<ulid>.tmp-for-creation` (chunks/, index, tombstones, meta.json, each fsynced), then the
 * directory is renamed into place and the parent fsynced, so a crash leaves either no block or a
 * whole one. Series are sorted by labels here; chunk refs in the index follow the file order.
 * Throws an `internal` StorageError for invalid input (duplicate series, overlapping chunks) and
 * leaves no directory behind. Synchronous I/O inside an async function for now (see docs).
 */
export async function writeBlock(parentDir: string, options: WriteBlockOptions): Promise<string> {
  if (!(options.maxt > options.mint)) throw misuseError(`block range [${options.mint}, ${options.maxt}) is empty`);
  const ulid = (options.ulids ?? new UlidGenerator()).next();
  const series = [...options.series].sort((a, b) => Labels.compare(a.labels, b.labels));
  for (let i = 1; i < series.length; i++) {
    if (Labels.compare(series[i - 1]!.labels, series[i]!.labels) === 0) throw misuseError(`duplicate series ${series[i]!.labels.toString()} in block`);
  }
  const tmp = join(parentDir, `${ulid}.tmp-for-creation`);
  mkdirSync(join(tmp, 'chunks'), { recursive: true });
  try {
    let numSamples = 0;
    let numChunks = 0;
    const indexSeries: IndexSeries[] = [];
    const chunks = new ChunkSegmentWriter(join(tmp, 'chunks'), options.chunkSegmentSize);
    try {
      for (const s of series) {
        const metas: ChunkMeta[] = [];
        for (const c of s.chunks) {
          if (c.mint < options.mint || c.maxt >= options.maxt) {
            throw misuseError(`chunk [${c.mint}, ${c.maxt}] of ${s.labels.toString()} is outside the block range [${options.mint}, ${options.maxt})`);
          }
          const encoding = c.encoding ?? ChunkEncoding.XOR;
          metas.push({ mint: c.mint, maxt: c.maxt, ref: chunks.write(encoding, c.bytes) });
          if (encoding === ChunkEncoding.XOR && c.bytes.length >= 2) numSamples += (c.bytes[0]! << 8) | c.bytes[1]!;
          numChunks++;
        }
        indexSeries.push({ labels: s.labels, chunks: metas });
      }
    } finally {
      chunks.close();
    }
    syncDir(join(tmp, 'chunks'));
    writeIndex(join(tmp, 'index'), indexSeries);
    writeBlockTombstones(tmp, new Map());
    const compaction: BlockMeta['compaction'] = { level: options.compaction?.level ?? 1, sources: options.compaction?.sources ?? [ulid] };
    if (options.compaction?.parents !== undefined) compaction.parents = options.compaction.parents;
    const meta: BlockMeta = {
      ulid,
      minTime: options.mint,
      maxTime: options.maxt,
      stats: { numSamples, numSeries: series.length, numChunks },
      compaction,
      version: 1,
    };
    writeMetaFile(tmp, meta);
    renameSync(tmp, join(parentDir, ulid));
    syncDir(parentDir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  return ulid;
}
