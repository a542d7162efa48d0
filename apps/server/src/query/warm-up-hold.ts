import type { Slot } from './pool-tasks.js';
import type { ToWorker } from './protocol.js';

/**
 * Keeps a pool's warm-ups (warm-up.ts) to the moments when no task runs in the pool: while any
 * worker has a task, every worker whose warm-up has not run through holds it. On a 2-core machine
 * a warm-up beside a task took a core from it, and its compile jobs took V8's helper threads
 * (shared by every isolate of the process) from under it: a prompt worker started during a burst
 * of queries slowed the burst's next rounds by 2–3× (server README, "The first queries on a
 * worker"). A worker's own task stops its own warm-up already (worker-main.ts); this covers the
 * others. One per pool; it posts only when a worker's state changes.
 */
export class WarmUpHold {
  constructor(private readonly post: (slot: Slot, message: ToWorker) => void) {}

  /** Holds or releases the warm-ups of `slots` as one of them has a task or none (see {@link runsTask}). */
  sync(slots: ReadonlySet<Slot>): void {
    const busy = runsTask(slots);
    for (const slot of slots) {
      const hold = busy && !slot.warm;
      if (slot.terminating || hold === (slot.warmUpHeld ?? false)) continue;
      slot.warmUpHeld = hold;
      this.post(slot, { type: 'warm-up', hold });
    }
  }
}

/** Whether any worker of `slots` has a task. */
export function runsTask(slots: ReadonlySet<Slot>): boolean {
  for (const slot of slots) if (slot.job !== undefined) return true;
  return false;
}
