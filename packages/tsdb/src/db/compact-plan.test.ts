import { describe, expect, it } from 'vitest';
import { planCompaction, planRetention, type PlanBlock } from './compact-plan.js';
import { exponentialBlockRanges } from './options.js';

const H = 3_600_000;
const ranges = exponentialBlockRanges(2 * H, 10, 3, 31 * 24 * H);
const block = (id: string, minH: number, maxH: number, extra: Partial<PlanBlock> = {}): PlanBlock => ({ id, minTime: minH * H, maxTime: maxH * H, numSeries: 10, numTombstones: 0, compactionFailed: false, ...extra });

describe('planCompaction', () => {
  it('uses Prometheus exponential ranges', () => {
    expect(ranges.slice(0, 4).map((r) => r / H)).toEqual([2, 6, 18, 54]);
  });

  it.each([
    { name: 'nothing with a single block', blocks: [block('a', 0, 2)], want: [] },
    { name: 'not yet: the newest block is excluded', blocks: [block('a', 0, 2), block('b', 2, 4), block('c', 4, 6)], want: [] },
    { name: 'three 2h blocks fill 6h once a newer block exists', blocks: [block('a', 0, 2), block('b', 2, 4), block('c', 4, 6), block('d', 6, 8)], want: ['a', 'b', 'c'] },
    { name: 'a partial range before a later block', blocks: [block('a', 0, 2), block('b', 2, 4), block('c', 8, 10), block('d', 10, 12)], want: ['a', 'b'] },
    { name: 'a partial range right before the newest block waits', blocks: [block('a', 0, 2), block('b', 2, 4), block('d', 8, 10)], want: [] },
    { name: 'overlapping blocks first', blocks: [block('a', 0, 2), block('b', 1, 3), block('c', 20, 22)], want: ['a', 'b'] },
    { name: 'failed compaction is skipped', blocks: [block('a', 0, 2, { compactionFailed: true }), block('b', 2, 4), block('d', 8, 10)], want: [] },
    { name: 'a big block with many tombstones alone', blocks: [block('a', 0, 54, { numTombstones: 5 }), block('b', 54, 56)], want: ['a'] },
  ])('$name', ({ blocks, want }) => {
    expect(planCompaction(blocks, ranges)).toEqual(want);
  });
});

describe('planRetention', () => {
  const blocks = [
    { ...block('old', 0, 2), bytes: 100 },
    { ...block('mid', 2, 4), bytes: 100 },
    { ...block('new', 4, 6), bytes: 100 },
  ];
  it.each([
    { name: 'by time', opts: { newest: 7 * H, retentionDuration: 4 * H, retentionBytes: 0, otherBytes: 0 }, byTime: ['old'], bySize: [] },
    { name: 'by size counting the WAL', opts: { newest: 7 * H, retentionDuration: 0, retentionBytes: 250, otherBytes: 50 }, byTime: [], bySize: ['old'] },
    { name: 'nothing', opts: { newest: 7 * H, retentionDuration: 100 * H, retentionBytes: 1000, otherBytes: 0 }, byTime: [], bySize: [] },
  ])('$name', ({ opts, byTime, bySize }) => {
    expect(planRetention(blocks, opts)).toEqual({ byTime, bySize });
  });
});
