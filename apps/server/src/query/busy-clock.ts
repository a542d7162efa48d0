import { cpuUsage } from 'node:process';

/** CPU-ms the process has run (all threads; getrusage, exact to the µs on Linux). */
function processCpuMs(): number {
  const { user, system } = cpuUsage();
  return (user + system) / 1000;
}

/**
 * The CPU time one piece of asynchronous work on this thread has taken: the process's CPU time
 * since it started, less the CPU time that passed while it waited for the promises handed to
 * {@link wait} (I/O, during which the thread runs other work). Waits may overlap; the time any is
 * pending is left out once. The process's clock, not the thread's (Node 20 has none for a
 * thread): any other thread's CPU meanwhile counts too, so the figure errs high, never low; a
 * wait for a core, which a wall clock would count, does not.
 */
export class BusyClock {
  private readonly start = processCpuMs();
  private waited = 0;
  private pending = 0;
  private waitingSince = 0;

  /** `promise`, with the time until it settles counted as waiting. */
  wait<T>(promise: Promise<T>): Promise<T> {
    if (this.pending++ === 0) this.waitingSince = processCpuMs();
    return promise.finally(() => {
      if (--this.pending === 0) this.waited += processCpuMs() - this.waitingSince;
    });
  }

  /** Busy CPU-ms so far. */
  busyMs(): number {
    const now = processCpuMs();
    return now - this.start - this.waited - (this.pending > 0 ? now - this.waitingSince : 0);
  }
}
