import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const MiB = 2 ** 20;

/** When the heap is trimmed: how often it is looked at, how much growth and how little activity. */
export interface HeapTrimPolicy {
  /** How often the heap size and the event loop's activity are sampled. */
  readonly intervalMs: number;
  /** Growth of V8's committed heap since the last trim (or start) that is worth a collection, at least… */
  readonly minGrowthBytes: number;
  /** …and at least this fraction of the heap size it grew from. */
  readonly minGrowthRatio: number;
  /** The event loop counts as idle when it was busy less than this fraction of the last interval. */
  readonly maxBusyFraction: number;
}

export const DEFAULT_HEAP_TRIM_POLICY: HeapTrimPolicy = { intervalMs: 500, minGrowthBytes: 16 * MiB, minGrowthRatio: 0.5, maxBusyFraction: 0.1 };

/** Whether a heap of `committedBytes` that grew from `baselineBytes`, with the loop `busyFraction` busy, is trimmed now. */
export function shouldTrim(policy: HeapTrimPolicy, committedBytes: number, baselineBytes: number, busyFraction: number): boolean {
  const growth = committedBytes - baselineBytes;
  return busyFraction < policy.maxBusyFraction && growth >= policy.minGrowthBytes && growth >= baselineBytes * policy.minGrowthRatio;
}

/** One trim: V8's committed heap before and after the full collection, and how long it took. */
export interface HeapTrim {
  readonly beforeBytes: number;
  readonly afterBytes: number;
  readonly durationMs: number;
}

/** A running trimmer (see {@link startHeapTrimmer}). */
export interface HeapTrimmer {
  stop(): void;
}

/** V8's full collection, exposed at run time (the same as `node --expose-gc`'s `gc()`). */
function fullCollection(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * Gives memory back after a burst of work. A burst (the 1,000 flushes of a new rule's groups, a
 * large ingest) leaves the old generation holding its garbage, and V8 returns those pages only
 * when its memory reducer runs (≥ 8 s after allocation calms down, and not always). Sampled every
 * `intervalMs`: once the committed heap has grown by the policy's threshold since the last trim
 * and the event loop has gone idle, two full collections run, which release the emptied pages.
 * At most one trim per threshold of growth, only while idle; the timer never keeps the
 * process alive. `onTrim` hears about each one.
 */
export function startHeapTrimmer(onTrim: (trim: HeapTrim) => void, policy: HeapTrimPolicy = DEFAULT_HEAP_TRIM_POLICY): HeapTrimmer {
  let collect: (() => void) | undefined;
  let baseline = getHeapStatistics().total_heap_size;
  let activity: EventLoopUtilization = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const busy = performance.eventLoopUtilization(activity).utilization;
    activity = performance.eventLoopUtilization();
    const committed = getHeapStatistics().total_heap_size;
    baseline = Math.min(baseline, committed);
    if (!shouldTrim(policy, committed, baseline, busy)) return;
    collect ??= fullCollection();
    const started = performance.now();
    // Two collections: the first frees the garbage; only the second, knowing how little of each
    // page is now live, moves the survivors together and releases the emptied pages.
    collect();
    collect();
    baseline = getHeapStatistics().total_heap_size;
    onTrim({ beforeBytes: committed, afterBytes: baseline, durationMs: performance.now() - started });
  }, policy.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
