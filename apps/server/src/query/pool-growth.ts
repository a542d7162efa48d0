import type { Job } from './pool-tasks.js';

/**
 * When a pool whose running workers are all busy starts another for its waiting tasks: as soon as
 * one of them has waited its `growAfterMs` (RunOptions; 0 by default, so at once). Until then one
 * timer, set for the earliest such moment, calls `retry` (the pool's dispatch). One per pool.
 */
export class PoolGrowth {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly retry: () => void) {}

  /** Whether a task of `queues` may start a worker now; if not, `retry` is called once one may. */
  mayStart(...queues: readonly (readonly Job[])[]): boolean {
    const now = performance.now();
    let wait = Infinity;
    for (const queue of queues) for (const job of queue) wait = Math.min(wait, job.queuedAt + (job.options.growAfterMs ?? 0) - now);
    if (wait <= 0) return true;
    clearTimeout(this.timer);
    if (wait < Infinity) this.timer = setTimeout(this.retry, wait).unref();
    return false;
  }

  /** Cancels a timed retry (the pool stopped). */
  stop(): void {
    clearTimeout(this.timer);
  }
}
