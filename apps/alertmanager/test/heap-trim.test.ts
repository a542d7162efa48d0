import { eventually } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEAP_TRIM_POLICY, shouldTrim, startHeapTrimmer, type HeapTrim } from '../src/heap-trim.js';

const MiB = 2 ** 20;

describe('the heap trimmer', () => {
  it('trims only an idle loop whose heap grew by both the least bytes and the least ratio', () => {
    const policy = DEFAULT_HEAP_TRIM_POLICY;
    expect(shouldTrim(policy, 66 * MiB, 29 * MiB, 0.02)).toBe(true);
    expect(shouldTrim(policy, 66 * MiB, 29 * MiB, 0.5)).toBe(false); // busy: the burst is not over
    expect(shouldTrim(policy, 40 * MiB, 29 * MiB, 0.02)).toBe(false); // grew less than 16 MiB
    expect(shouldTrim(policy, 220 * MiB, 200 * MiB, 0.02)).toBe(false); // grew less than half of 200 MiB
    expect(shouldTrim(policy, 29 * MiB, 66 * MiB, 0)).toBe(false); // shrank
  });

  it('gives back the pages a burst of garbage left in the heap once the loop is idle', async () => {
    const trims: HeapTrim[] = [];
    const trimmer = startHeapTrimmer((trim) => trims.push(trim), { ...DEFAULT_HEAP_TRIM_POLICY, intervalMs: 50, minGrowthBytes: 24 * MiB, minGrowthRatio: 0 });
    try {
      // Garbage that lives long enough to be promoted (as a notification burst's does), then dies.
      let burst: { index: number; text: string }[] | undefined = [];
      for (let i = 0; i < 600_000; i++) burst.push({ index: i, text: `alert ${i}` });
      expect(burst.length).toBe(600_000);
      burst = undefined;
      const [trim] = await eventually(async () => (trims.length > 0 ? trims : undefined), 10_000, 'a trim after the burst');
      expect(trim!.beforeBytes - trim!.afterBytes).toBeGreaterThan(16 * MiB);
    } finally {
      trimmer.stop();
    }
  });
});
