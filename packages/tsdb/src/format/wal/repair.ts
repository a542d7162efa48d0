import { rmSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { misuseError } from '../errors.js';
import { syncDir } from '../fs-util.js';
import { listSegments, segmentName } from './segments.js';
import type { WalCorruption } from './wal-reader.js';

/**
 * Repairs a WAL after {@link readWal} reported `corruption`: truncates the corrupt segment at the
 * start of the broken record and deletes every later segment, so a re-read ends cleanly at the
 * last good record (the records after the corruption are lost, as with Prometheus's Repair).
 * Call it before opening a {@link SegmentWriter}, which then starts a fresh segment. Returns the
 * number of bytes and segments dropped.
 */
export function repairWal(corruption: WalCorruption): { truncatedBytes: number; deletedSegments: number } {
  const { dir, segment, offset } = corruption;
  const segments = listSegments(dir);
  const target = segments.find((s) => s.index === segment);
  if (target === undefined) throw misuseError(`cannot repair WAL ${dir}: segment ${segmentName(segment)} does not exist`);
  if (offset < 0 || offset > target.size) throw misuseError(`cannot repair WAL ${dir}: offset ${offset} is outside segment ${segmentName(segment)} (${target.size} bytes)`);
  let deletedSegments = 0;
  for (const s of segments) {
    if (s.index > segment) {
      rmSync(s.path);
      deletedSegments++;
    }
  }
  truncateSync(join(dir, segmentName(segment)), offset);
  syncDir(dir);
  return { truncatedBytes: target.size - offset, deletedSegments };
}
