/** What the planner needs to know about a block (times in ms; `maxTime` exclusive, as in meta.json). */
export interface PlanBlock {
  readonly id: string;
  readonly minTime: number;
  readonly maxTime: number;
  readonly numSeries: number;
  readonly numTombstones: number;
  readonly compactionFailed: boolean;
}

/**
 * Picks the blocks to compact next, following Prometheus's leveled compactor: overlapping blocks
 * first (merged vertically); otherwise, ignoring the newest block, the first group of blocks that
 * fills one aligned range of the next level (or lies entirely before the newest block); otherwise a
 * large block whose tombstones cover more than 5% of its series (rewritten alone). Returns block
 * ids in time order, or an empty list when there is nothing to do. `ranges` ascending.
 */
export function planCompaction(blocks: readonly PlanBlock[], ranges: readonly number[]): string[] {
  const sorted = [...blocks].sort((a, b) => a.minTime - b.minTime);
  const overlapping = selectOverlapping(sorted);
  if (overlapping.length > 0) return overlapping.map((b) => b.id);
  const older = sorted.slice(0, -1);
  const group = selectRange(older, ranges);
  if (group.length > 0) return group.map((b) => b.id);
  const big = ranges[Math.floor(ranges.length / 2)] ?? Infinity;
  for (let i = older.length - 1; i >= 0; i--) {
    const b = older[i]!;
    if (b.maxTime - b.minTime < big) break;
    if (b.numTombstones / (b.numSeries + 1) > 0.05) return [b.id];
  }
  return [];
}

function selectOverlapping(sorted: readonly PlanBlock[]): PlanBlock[] {
  let group: PlanBlock[] = [];
  let groupMax = -Infinity;
  for (const b of sorted) {
    if (group.length > 0 && b.minTime < groupMax) {
      group.push(b);
      groupMax = Math.max(groupMax, b.maxTime);
      continue;
    }
    if (group.length > 1) return group;
    group = [b];
    groupMax = b.maxTime;
  }
  return group.length > 1 ? group : [];
}

function selectRange(blocks: readonly PlanBlock[], ranges: readonly number[]): PlanBlock[] {
  if (ranges.length < 2 || blocks.length === 0) return [];
  const highTime = blocks[blocks.length - 1]!.minTime;
  for (const range of ranges.slice(1)) {
    for (const part of splitByRange(blocks, range)) {
      if (part.some((b) => b.compactionFailed)) continue;
      const mint = part[0]!.minTime;
      const maxt = part[part.length - 1]!.maxTime;
      if ((maxt - mint === range || maxt <= highTime) && part.length > 1) return part;
    }
  }
  return [];
}

/** Groups consecutive blocks that fit one aligned range [t0, t0 + range]; blocks wider than it are skipped. */
function splitByRange(blocks: readonly PlanBlock[], range: number): PlanBlock[][] {
  const out: PlanBlock[][] = [];
  let i = 0;
  while (i < blocks.length) {
    const t0 = Math.floor(blocks[i]!.minTime / range) * range;
    if (blocks[i]!.maxTime > t0 + range) {
      i++;
      continue;
    }
    const group: PlanBlock[] = [];
    while (i < blocks.length && blocks[i]!.maxTime <= t0 + range) group.push(blocks[i++]!);
    out.push(group);
  }
  return out;
}

/**
 * The blocks retention deletes, newest data first: by time, every block whose max time lies more
 * than `retentionDuration` before `newest`; by size, once the running total (starting at
 * `otherBytes`, the WAL and head) exceeds `retentionBytes`, that block and every older one.
 */
export function planRetention(
  blocks: readonly (PlanBlock & { readonly bytes: number })[],
  opts: { newest: number; retentionDuration: number; retentionBytes: number; otherBytes: number },
): { byTime: string[]; bySize: string[] } {
  const newestFirst = [...blocks].sort((a, b) => b.maxTime - a.maxTime);
  const byTime: string[] = [];
  const bySize: string[] = [];
  let total = opts.otherBytes;
  for (const b of newestFirst) {
    if (opts.retentionDuration > 0 && opts.newest - b.maxTime > opts.retentionDuration) {
      byTime.push(b.id);
      continue;
    }
    total += b.bytes;
    if (opts.retentionBytes > 0 && total > opts.retentionBytes) bySize.push(b.id);
  }
  return { byTime, bySize };
}
