/**
 * Calls `onQuiet` once the pool has run no task for `afterMs` without a break: tasks back to back,
 * with gaps shorter than that between them, never call it. One timer at most, armed as a quiet
 * spell begins and re-armed for what is left when it fires early (a task came and went meanwhile),
 * so a pool answering queries back to back sets no timer per query.
 */
export class QuietPeriod {
  private quietSince: number | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly afterMs: number,
    private readonly onQuiet: () => void,
  ) {}

  /** The pool runs a task: the quiet spell, if any, is over. */
  busy(): void {
    this.quietSince = undefined;
  }

  /** The pool runs no task: a quiet spell begins, unless one is already under way. */
  quiet(): void {
    if (this.quietSince !== undefined) return;
    this.quietSince = performance.now();
    if (this.timer === undefined) this.arm(this.afterMs);
  }

  /** Cancels the timer (the pool stopped). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.quietSince = undefined;
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => this.fire(), ms).unref();
  }

  private fire(): void {
    this.timer = undefined;
    if (this.quietSince === undefined) return;
    const left = this.quietSince + this.afterMs - performance.now();
    if (left > 0) this.arm(left);
    else {
      this.quietSince = undefined;
      this.onQuiet();
    }
  }
}
