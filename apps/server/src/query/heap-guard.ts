// A query that fills a worker's heap must fail alone, not take the server down. V8's own limit
// cannot promise that: Node's near-heap-limit callback for a worker (nodejs/node#47224) terminates
// the worker and raises its limit by only 16 MiB, and V8 aborts the whole process when one
// allocation (an array's growth, a long string flattened) lands beyond that. So a task fails
// first, once its heap passes a share of the limit: a later step then has the rest of the heap,
// plus the 16 MiB, to land in.
import { getHeapStatistics } from 'node:v8';
import { resourceLimits } from 'node:worker_threads';
import { PromQLError } from '@pyrometer/promql';

/** The share of a worker's heap limit a task may fill before it fails (see {@link HeapGuard}). */
const DEFAULT_HEAP_SHARE = 0.5;

/** How many reads of the cancel signal read the heap once (~0.2 µs a reading; the engine reads the signal per series and step). */
const READ_HEAP_EVERY = 64;

/** At most one confirming collection per this fraction of the share allocated since the last one (no collection storm near the share). */
const COLLECT_AFTER_GROWTH = 1 / 8;

/** What the guard reads of the heap (bytes). */
export interface HeapReading {
  /** In use, garbage included (young generation too: counting it errs on the safe side). */
  used: number;
  /** What V8 aborts past (plus 16 MiB for a worker): the old generation's limit. */
  limit: number;
}

/** This thread's old-generation limit: a worker's `resourceLimits` (V8's default when unset), elsewhere the whole heap's. */
const THREAD_HEAP_LIMIT = (resourceLimits.maxOldGenerationSizeMb ?? 0) * 2 ** 20 || getHeapStatistics().heap_size_limit;

/** Reads this thread's heap. */
function readThreadHeap(): HeapReading {
  return { used: getHeapStatistics().used_heap_size, limit: THREAD_HEAP_LIMIT };
}

/**
 * Watches a worker's heap for the task it runs. Read through the task's cancel signal: the engine
 * polls it as it evaluates, and asks {@link fits} before building a string of a size the query
 * chose. Past the share, a full collection (when `collect` is given) tells live data from garbage;
 * if the live heap is still past it, the task fails with a 422 naming the heap.
 */
export class HeapGuard {
  private reads = 0;
  private liveAfterCollection = 0;
  private failure: PromQLError | undefined;

  constructor(
    private readonly share: number = DEFAULT_HEAP_SHARE,
    private readonly collect: (() => void) | undefined = globalThis.gc,
    private readonly readHeap: () => HeapReading = readThreadHeap,
  ) {}

  /** Starts watching a new task: forgets the previous task's failure. */
  taskStarted(): void {
    this.reads = 0;
    this.liveAfterCollection = 0;
    this.failure = undefined;
  }

  /** The error the current task fails with once the heap is past its share; undefined while it is not. */
  get reason(): PromQLError | undefined {
    return this.failure;
  }

  /** Whether the current task filled its share of the heap; reads the heap every {@link READ_HEAP_EVERY}th call. */
  get exhausted(): boolean {
    if (this.failure === undefined && ++this.reads % READ_HEAP_EVERY === 0) this.check(0);
    return this.failure !== undefined;
  }

  /** Whether `bytes` more, allocated at once, keep the heap within its share; false fails the task. */
  fits(bytes: number): boolean {
    if (this.failure === undefined) this.check(bytes);
    return this.failure === undefined;
  }

  private check(bytes: number): void {
    const { used: usedBefore, limit } = this.readHeap();
    const allowed = this.share * limit;
    let used = usedBefore;
    if (used + bytes <= allowed) return;
    if (this.collect !== undefined && used - this.liveAfterCollection >= COLLECT_AFTER_GROWTH * allowed) {
      this.collect();
      used = this.liveAfterCollection = this.readHeap().used;
      if (used + bytes <= allowed) return;
    }
    const mib = (n: number, digits = 0) => (n / 2 ** 20).toFixed(digits);
    this.failure = new PromQLError(
      'too_many_samples',
      `query processing would use too much memory: the query worker's heap would hold ${mib(used + bytes, 1)} MiB, over the ${mib(allowed)} MiB a query may fill (${Math.round(this.share * 100)}% of its ${mib(limit)} MiB limit)`,
    );
  }
}
