import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { IdleHeapShrinker } from './idle-heap.js';

// V8 sizes the young generation by the allocation throughput of the last ~5 s, so the idle wait
// must outlast that: the child sleeps twice this long.
const IDLE_MS = 6_000;

// Run in a child process started as spawn-worker starts a worker's isolate (`--expose-gc`, 16 MiB
// least semi-spaces), so the test's own heap (vitest's) plays no part. The child grows its young
// generation the way queries do (much of what it allocates survives a scavenge), then reads the
// young generation's resident size while a task runs past the idle wait, and after it ended.
const CHILD = `
import { getHeapSpaceStatistics } from 'node:v8';
const { IdleHeapShrinker } = await import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'idle-heap.ts')).href)});
const youngMiB = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').physical_space_size / 2 ** 20;
let kept = [];
for (let i = 0; i < 4e6; i++) { kept.push({ i }); if (kept.length > 300000) kept = []; }
kept = [];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const shrinker = new IdleHeapShrinker(${IDLE_MS}, globalThis.gc);
const grown = youngMiB();
shrinker.taskStarted();
await sleep(${IDLE_MS + 1_000});
const busy = youngMiB();
shrinker.taskEnded();
await sleep(${IDLE_MS + 1_000});
console.log(JSON.stringify({ grown, busy, idle: youngMiB() }));
`;

describe('IdleHeapShrinker', () => {
  it('gives back a grown young generation once idle, never while a task runs', () => {
    const child = spawnSync(process.execPath, ['--expose-gc', '--min-semi-space-size=16', '--import', 'tsx', '--conditions=source', '--input-type=module', '-e', CHILD], { encoding: 'utf8', timeout: 60_000 });
    expect(child.stderr).toBe('');
    const { grown, busy, idle } = JSON.parse(child.stdout) as { grown: number; busy: number; idle: number };
    // Grown past the 16 MiB least semi-space (an isolate that did not grow reads ~8 here); how far V8
    // grows it follows the machine's load: 29–32+ in CI runs.
    expect(grown).toBeGreaterThanOrEqual(16);
    expect(busy).toBe(grown);
    // Nothing of it stays resident, not even the 16 MiB least semi-space the first scavenge kept.
    expect(idle).toBeLessThan(4);
  }, 60_000);

  it('tries again while V8 leaves the young generation resident, a bounded number of times, never into a task; one last-resort full collection per idle spell', () => {
    vi.useFakeTimers();
    try {
      let resident = 64 * 2 ** 20;
      const collections: string[] = [];
      const collect = (options: { type: string; flavor?: string }) => collections.push(options.flavor === undefined ? options.type : `${options.type} ${options.flavor}`);
      const shrinker = new IdleHeapShrinker(1000, collect as unknown as NodeJS.GCFunction, () => resident);
      shrinker.schedule();
      vi.advanceTimersByTime(2500);
      expect(collections).toEqual(['major last-resort', 'minor', 'minor', 'minor', 'minor']);
      resident = 0;
      vi.advanceTimersByTime(10_000);
      expect(collections).toHaveLength(7);
      resident = 64 * 2 ** 20;
      shrinker.schedule();
      vi.advanceTimersByTime(60_000);
      expect(collections).toHaveLength(7 + 1 + 2 * 4);
      expect(collections.filter((c) => c === 'major last-resort')).toHaveLength(2);
      shrinker.schedule();
      shrinker.taskStarted();
      vi.advanceTimersByTime(60_000);
      expect(collections).toHaveLength(7 + 1 + 2 * 4);
    } finally {
      vi.useRealTimers();
    }
  });
});
