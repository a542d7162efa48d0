import { readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { syncDir } from '../fs-util.js';
import { SegmentWriter, type SegmentWriterOptions } from './segment-writer.js';

const CHECKPOINT_RE = /^checkpoint\.(\d+)$/;

/** The directory name of the checkpoint covering WAL segments up to and including `index`. */
export function checkpointName(index: number): string {
  return `checkpoint.${String(index).padStart(8, '0')}`;
}

/** A checkpoint directory found in a WAL directory. */
export interface CheckpointDir {
  /** The last WAL segment the checkpoint covers. */
  index: number;
  dir: string;
}

/**
 * Lists the completed checkpoints of `walDir`, oldest first. Temporary directories
 * (`checkpoint.N.tmp`) of an interrupted checkpoint are not listed.
 */
export function listCheckpoints(walDir: string): CheckpointDir[] {
  let names: string[];
  try {
    names = readdirSync(walDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: CheckpointDir[] = [];
  for (const name of names) {
    const m = CHECKPOINT_RE.exec(name);
    if (m !== null) out.push({ index: Number(m[1]), dir: join(walDir, name) });
  }
  return out.sort((a, b) => a.index - b.index);
}

/**
 * Writes a checkpoint for WAL segments ≤ `index`: the records go to `checkpoint.N.tmp` (its own
 * segments, same format as the WAL), which is fsynced and renamed to `checkpoint.N` atomically.
 * Which records to keep (live series, recent samples, tombstones) is the caller's decision.
 * Older checkpoints are left in place; the caller deletes them and the covered segments after.
 */
export function writeCheckpoint(walDir: string, index: number, records: Iterable<Uint8Array>, options: Partial<SegmentWriterOptions> = {}): CheckpointDir {
  const final = join(walDir, checkpointName(index));
  const tmp = `${final}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  const w = SegmentWriter.open(tmp, options);
  let batch: Uint8Array[] = [];
  for (const rec of records) {
    batch.push(rec);
    if (batch.length === 1024) {
      w.log(batch);
      batch = [];
    }
  }
  if (batch.length > 0) w.log(batch);
  w.close();
  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  syncDir(walDir);
  return { index, dir: final };
}
