import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StorageError } from '@pyrometer/storage';

/** WAL pages are 32 KiB; only the last page of the newest segment may be partial. */
export const WAL_PAGE_SIZE = 32 * 1024;
/** Prometheus's default maximum segment size, 128 MiB. */
export const WAL_DEFAULT_SEGMENT_SIZE = 128 * 1024 * 1024;
/** Every record fragment starts with type (1 byte), length (2 bytes, BE) and CRC32C (4 bytes, BE). */
export const WAL_RECORD_HEADER_SIZE = 7;

/** The file name of WAL segment `index`: eight zero-padded decimal digits, e.g. `00000012`. */
export function segmentName(index: number): string {
  return String(index).padStart(8, '0');
}

/** One segment file found in a WAL (or checkpoint) directory. */
export interface SegmentFile {
  index: number;
  path: string;
  /** Size in bytes at the time of listing. */
  size: number;
}

/**
 * Lists the segment files of `dir` in increasing index order; files whose names are not all digits
 * are ignored (checkpoints, temporary files). Throws a `corruption` StorageError when the indices
 * have a gap, as Prometheus refuses a WAL with missing segments. A missing directory lists nothing.
 */
export function listSegments(dir: string): SegmentFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: SegmentFile[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const path = join(dir, name);
    const st = statSync(path);
    if (!st.isFile()) continue;
    out.push({ index: Number(name), path, size: st.size });
  }
  out.sort((a, b) => a.index - b.index);
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.index !== out[i - 1]!.index + 1) throw new StorageError('corruption', `WAL segments in ${dir} are not sequential: ${out[i - 1]!.index} is followed by ${out[i]!.index}`);
  }
  return out;
}
