import { readFile } from 'node:fs/promises';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { StorageError } from '@pyrometer/storage';
import { syncDir, writeFileDurably } from './fs-util.js';
import { ulidTime } from './ulid.js';

/** A block a compacted block was made from. */
export interface BlockDesc {
  ulid: string;
  minTime: number;
  maxTime: number;
}

/**
 * A block's meta.json (version 1), field for field as Prometheus writes it. `minTime` is the
 * first sample's time and `maxTime` is exclusive (ms).
 */
export interface BlockMeta {
  ulid: string;
  minTime: number;
  maxTime: number;
  stats: { numSamples: number; numSeries: number; numChunks: number; numTombstones?: number };
  compaction: { level: number; sources: string[]; parents?: BlockDesc[]; deletable?: boolean; failed?: boolean };
  version: 1;
}

/** Writes `dir/meta.json` (tab-indented like Prometheus) through a temporary file and a rename. */
export function writeMetaFile(dir: string, meta: BlockMeta): void {
  const path = join(dir, 'meta.json');
  const tmp = `${path}.tmp`;
  writeFileDurably(tmp, Buffer.from(JSON.stringify(meta, null, '\t')));
  renameSync(tmp, path);
  syncDir(dir);
}

/** Reads and validates `dir/meta.json`; throws a `corruption` StorageError saying what is wrong. */
export async function readMetaFile(dir: string): Promise<BlockMeta> {
  const path = join(dir, 'meta.json');
  const text = await readFile(path, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new StorageError('corruption', `corrupt ${path}: ${(err as Error).message}`, { cause: err });
  }
  const bad = (detail: string): never => {
    throw new StorageError('corruption', `corrupt ${path}: ${detail}`);
  };
  if (typeof raw !== 'object' || raw === null) return bad('not a JSON object');
  const m = raw as Partial<BlockMeta>;
  if (m.version !== 1) bad(`unsupported version ${JSON.stringify(m.version)}`);
  if (typeof m.ulid !== 'string' || ulidTime(m.ulid) === undefined) bad(`ulid ${JSON.stringify(m.ulid)} is not a ULID`);
  if (!Number.isSafeInteger(m.minTime) || !Number.isSafeInteger(m.maxTime)) bad('minTime and maxTime must be integers');
  if (typeof m.stats !== 'object' || m.stats === null) bad('stats missing');
  if (typeof m.compaction !== 'object' || m.compaction === null || !Number.isInteger(m.compaction.level)) bad('compaction missing');
  return { ...(m as BlockMeta), stats: { numSamples: 0, numSeries: 0, numChunks: 0, ...m.stats }, compaction: { ...m.compaction!, sources: m.compaction!.sources ?? [] } };
}
