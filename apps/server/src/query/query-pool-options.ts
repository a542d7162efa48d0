import type { Logger, MetricsRegistry } from '@pyrometer/telemetry';
import type { PromptLaneOptions } from './prompt-lane.js';
import type { FromWorker, WorkerConfig } from './protocol.js';
import type { PrefetchPlan } from './select-prefetch.js';
import type { ChunkQueryable } from './storage-host.js';

/** What a pool is built from. */
export interface QueryPoolOptions {
  /**
   * Most worker threads (one task at a time each). None runs until a task comes; one starts when
   * a task finds no running worker free; a worker idle for `idleWorkerMs` stops (see there).
   */
  size: number;
  /**
   * How long (ms) a worker that ran a task may then go without one before it is stopped, giving
   * back its heap and label cache; default 60 s (idle-retirement.ts).
   */
  idleWorkerMs?: number;
  /**
   * The same for the last running worker; default 5 minutes (idle-retirement.ts). Once it has
   * stopped, the next task starts a fresh one.
   */
  lastWorkerIdleMs?: number;
  /** Engine options and limits every worker starts with. */
  config: Omit<WorkerConfig, 'cancelCell'>;
  /** Where the workers' storage calls are answered (the TSDB). */
  storage: ChunkQueryable;
  logger: Logger;
  registry?: MetricsRegistry;
  /** How long a canceled task may take to stop by itself before its worker is terminated (ms). */
  cancelGraceMs?: number;
  /** A worker's V8 old-generation limit (MiB); unset for V8's default. */
  maxHeapMb?: number;
  /** A worker's V8 young-generation limit (MiB, three semi-spaces' worth); unset for V8's default. */
  youngGenerationMb?: number;
  /**
   * Most head series whose labels a worker keeps (see label-cache.ts) before it drops them all,
   * between tasks; unset: twice the head's series, at least 10,000.
   */
  maxCachedLabels?: number;
  /**
   * Runs tasks predicted short on one worker at the process's priority (prompt-lane.ts); only with
   * niced workers (`config.niceness` above 0) and a `size` of 2 or more; that worker comes on top
   * of `size`. Unset: every worker niced.
   */
  promptLane?: PromptLaneOptions;
}

/** The messages of one task that its caller handles (the pool handles the rest). */
export type TaskMessage = Extract<FromWorker, { type: 'head' | 'chunk' | 'value' | 'values' | 'decoded' }>;

/**
 * Receives a task's messages in order. For a streamed body, the worker sends the next chunk only
 * once the promise returned for an earlier one settles (flow control).
 */
export type TaskListener = (message: TaskMessage) => void | Promise<void>;

/** How a task runs: `signal` cancels it (its reason, an ApiError, becomes the rejection); high priority goes first. */
export interface RunOptions {
  signal?: AbortSignal;
  priority?: 'high' | 'normal';
  transfer?: ArrayBuffer[];
  /** Storage calls to answer as the task is posted, before its worker asks; told the calls it made once done. */
  prefetch?: PrefetchPlan;
  /**
   * How long (ms) the task waits for a running worker to be free before it may start another;
   * default 0 (at once). For short tasks that come at times of their own, such as rule batches: a
   * worker started for two of them that overlap goes idle, stops, and is started again at the next
   * overlap, and each start (isolate, warm-up, code compiled anew) costs more than the wait.
   */
  growAfterMs?: number;
}
