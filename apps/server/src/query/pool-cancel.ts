import { ApiError, ErrorType } from '@pyrometer/http-api';
import type { Logger, MetricsRegistry } from '@pyrometer/telemetry';
import type { Job, Slot } from './pool-tasks.js';

/** What {@link TaskCancellation} needs of its pool. */
export interface CancellationOptions {
  registry: MetricsRegistry | undefined;
  logger: Logger;
  /** How long a canceled task may take to stop by itself before its worker is terminated (ms). */
  graceMs: number;
  /** Posts `credit` for task `id` to the worker of `slot`: wakes a response stream waiting for flow-control credit, so it sees the cancellation. */
  wake: (slot: Slot, id: number) => void;
}

/**
 * How a pool cancels a task: a waiting one leaves its queue and fails at once; a running one has
 * its id written into its worker's shared cancel cell, which the engine polls, and its worker is
 * terminated if the task has not stopped `graceMs` later. Counts cancellations by reason. One per pool.
 */
export class TaskCancellation {
  private readonly cancellations;

  constructor(private readonly options: CancellationOptions) {
    this.cancellations = options.registry?.counter({ name: 'pyrometer_queries_canceled_total', help: 'Queries canceled before they finished, by reason (client gone or timeout).', labelNames: ['reason'] });
    for (const reason of ['canceled', 'timeout']) this.cancellations?.labels(reason);
  }

  /** Cancels `job` (once) for `reason`, which becomes its rejection; `queues` are where it may still wait. */
  cancel(job: Job, reason: ApiError, queues: Readonly<Record<string, Job[]>>): void {
    if (job.canceled !== undefined) return;
    job.canceled = reason;
    this.cancellations?.labels(reason.type === ErrorType.Timeout ? 'timeout' : 'canceled').inc();
    const slot = job.slot;
    if (slot === undefined) {
      for (const q of Object.values(queues)) {
        const i = q.indexOf(job);
        if (i >= 0) q.splice(i, 1);
      }
      job.reject(reason);
      return;
    }
    // Answered: its worker has nothing left of it to stop (and may be running the next task).
    if (job.answered === true) return;
    Atomics.store(slot.cancelCell, 0, job.id);
    this.options.wake(slot, job.id);
    // A worker still loading its modules sees the cancellation as soon as it reads the task.
    if (slot.ready) this.startGrace(slot, job);
  }

  /** Terminates the worker of a canceled task that has not stopped within the grace period. */
  startGrace(slot: Slot, job: Job): void {
    const graceMs = this.options.graceMs;
    job.graceTimer = setTimeout(() => {
      if (slot.job !== job) return;
      this.options.logger.warn('Terminating a query worker whose canceled task did not stop', { graceMs });
      slot.terminating = true;
      void slot.worker.terminate();
    }, graceMs);
  }
}

/** The rejection of a task canceled through `signal`: its reason when that is an ApiError. */
export function cancelError(signal: AbortSignal): ApiError {
  return signal.reason instanceof ApiError ? signal.reason : new ApiError(ErrorType.Canceled, 'query was canceled in query execution');
}
