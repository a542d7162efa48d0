/** A timer handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/**
 * Wall time and timers, injected so tests can drive schedules (scrape loops, rule groups) without sleeping. `now()` is
 * milliseconds since the Unix epoch; callbacks run at or after the requested delay, never before.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

// Every runtime this package runs in (Node, browsers) has these timers, but it compiles without
// Node's or the DOM's type libraries, so the two it uses are declared for this module only.
declare function setTimeout(fn: () => void, delayMs: number): unknown;
declare function clearTimeout(handle: unknown): void;

/** The real clock: `Date.now()` and the runtime's timers (in Node, a running schedule keeps the process alive until stopped). */
export function systemClock(): Clock {
  return {
    now: () => Date.now(),
    setTimeout: (fn, delayMs) => setTimeout(fn, Math.max(0, delayMs)),
    clearTimeout: (handle) => clearTimeout(handle),
  };
}

interface ManualTimer {
  due: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock that only moves when told: `advance(ms)` runs every timer that falls due, in due order,
 * with `now()` equal to each timer's due time while it runs. For tests; not thread-safe, not for
 * production use.
 */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private timers = new Set<ManualTimer>();

  constructor(startMs = 1_700_000_000_000) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    const timer = { due: this.current + Math.max(0, delayMs), seq: this.seq++, fn };
    this.timers.add(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as ManualTimer);
  }

  /** Moves time forward by `ms`, running due timers (including ones they schedule) in order. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      let next: ManualTimer | undefined;
      for (const t of this.timers) if (t.due <= target && (!next || t.due < next.due || (t.due === next.due && t.seq < next.seq))) next = t;
      if (!next) break;
      this.timers.delete(next);
      this.current = next.due;
      next.fn();
    }
    this.current = target;
  }

  /** The due time of the earliest pending timer, or undefined. */
  nextDue(): number | undefined {
    let min: number | undefined;
    for (const t of this.timers) if (min === undefined || t.due < min) min = t.due;
    return min;
  }
}
