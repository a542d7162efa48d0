// Scheduling of one thread on Linux, where threads are scheduled as tasks: its id, its niceness,
// the CPU time it has run. Elsewhere (no /proc) each answers "unknown" and changes nothing.
import { closeSync, openSync, readlinkSync, readSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The calling thread's id (Linux), the `pid` setpriority(2) and /proc/<pid>/task/<tid> take; undefined elsewhere. */
export function currentThreadId(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) ? tid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Raises thread `tid`'s niceness to `niceness` (setpriority(2) on a thread id renices that thread
 * only). Never lowers it: lowering needs CAP_SYS_NICE, and a process started niced keeps at
 * least its own niceness. Any thread of the process may raise another's. Whether it did.
 */
export function raiseThreadNiceness(tid: number | undefined, niceness: number): boolean {
  if (tid === undefined || niceness <= 0) return false;
  try {
    if (getPriority(tid) >= niceness) return false;
    setPriority(tid, niceness);
    return true;
  } catch {
    // Not permitted, or the thread is gone: it keeps its priority.
    return false;
  }
}

/**
 * The CPU time (ms) the calling thread has run, read from its schedstat (kept open: ~13 µs a read
 * against ~55 µs opening it each time, on this 2-core machine at load 4). The kernel updates a
 * running thread's sum at scheduler ticks, so a reading may lag by up to a tick (1–4 ms).
 */
export class ThreadCpuClock {
  private fd: number | undefined;
  private readonly buffer = Buffer.alloc(64);

  constructor() {
    const tid = currentThreadId();
    try {
      if (tid !== undefined) this.fd = openSync(`/proc/self/task/${tid}/schedstat`, 'r');
    } catch {
      this.fd = undefined;
    }
  }

  /** CPU-ms run so far, or undefined where schedstat is missing. */
  nowMs(): number | undefined {
    if (this.fd === undefined) return undefined;
    try {
      const length = readSync(this.fd, this.buffer, 0, this.buffer.length, 0);
      const ns = Number(this.buffer.toString('latin1', 0, length).split(' ', 1)[0]);
      return Number.isFinite(ns) ? ns / 1e6 : undefined;
    } catch {
      closeSync(this.fd);
      this.fd = undefined;
      return undefined;
    }
  }
}
