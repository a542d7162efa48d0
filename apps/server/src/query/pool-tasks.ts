import type { Worker } from 'node:worker_threads';
import { ErrorType, type ApiError } from '@pyrometer/http-api';
import type { SentLabels } from './label-cache.js';
import type { PrefetchedCall, StorageCall, Task, TaskFailureCode } from './protocol.js';
import type { RunOptions, TaskListener } from './query-pool-options.js';

/** A task in the pool, from `run` until it is done. */
export interface Job {
  readonly id: number;
  readonly task: Task;
  readonly listener: TaskListener;
  readonly options: RunOptions;
  readonly resolve: () => void;
  readonly reject: (err: ApiError) => void;
  /** When the task was queued (`performance.now()`), for {@link RunOptions.growAfterMs}. */
  readonly queuedAt: number;
  /** What the prompt lane predicts the task's cost by (prompt-lane.ts); unset without a lane. */
  readonly shape: string | undefined;
  /** When the task was handed to a worker (`performance.now()`). */
  dispatchedAt?: number;
  /** Set while the task runs on the prompt worker: fires when it overran the lane's budget. */
  budgetTimer?: NodeJS.Timeout;
  failure?: ApiError;
  canceled?: ApiError;
  /** Set when the task's last answer arrived: its worker reports it done in a moment and may take the next task meanwhile (see `dispatch`). */
  answered?: boolean;
  /** Gives back the blocks the task's storage answers lent its worker. */
  releases: (() => void)[];
  /** The storage calls answered for the task: asked by its worker, or prefetched (by request number). */
  readonly asked: StorageCall[];
  readonly prefetched: PrefetchedCall[];
  slot?: Slot;
  graceTimer?: NodeJS.Timeout;
}

/** A worker thread of the pool, and the task it was given last. */
export interface Slot {
  readonly worker: Worker;
  readonly cancelCell: Int32Array;
  /** The head series whose labels this worker holds (see label-cache.ts). */
  readonly sentLabels: SentLabels;
  /** The task the worker was given last; once it has answered, the worker may take another before it reports this one done. */
  job: Job | undefined;
  ready: boolean;
  /** Whether the worker reported its warm-up run through (see `warm` in protocol.ts). */
  warm: boolean;
  /** Whether the worker was told to hold its warm-up (warm-up-hold.ts). */
  warmUpHeld?: boolean;
  /** The worker's thread id, once it is ready (Linux). */
  tid?: number;
  /** Whether this is the pool's prompt worker, at the process's priority (prompt-lane.ts); false once niced. */
  prompt: boolean;
  /** Set when the pool stops the worker for idling: its exit is no failure and needs no replacement. */
  retired?: boolean;
  /**
   * Set when the pool terminates the worker: termination is asynchronous, so the worker may still
   * report its canceled task done before it exits, and its slot must not take another task then.
   */
  terminating: boolean;
}

/** The ApiError type of each way a worker reports a task failed. */
export const FAILURE_TYPES: Record<TaskFailureCode, ErrorType> = {
  canceled: ErrorType.Canceled,
  timeout: ErrorType.Timeout,
  bad_data: ErrorType.BadData,
  execution: ErrorType.Execution,
  internal: ErrorType.Internal,
};
/** Gives back what the job's storage answers lent (its worker no longer reads it). */
export function releaseAll(job: Job): void {
  for (const release of job.releases.splice(0)) release();
}

/** Whether `slot` may take a task: it has none, or its last one has answered (see the pool's `dispatch`), and it is not stopping. */
export function isFree(slot: Slot): boolean {
  return (slot.job === undefined || slot.job.answered === true) && !slot.terminating;
}
