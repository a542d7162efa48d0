/**
 * `max_over_time` / `min_over_time` over windows that only move forward, in O(1) amortized per
 * step instead of a scan of the window: a monotonic queue of sample indexes whose values never
 * improve from front to back, so the front is the window's extreme.
 *
 * It gives upstream's answer bit for bit. Upstream keeps the first value and replaces it by a later
 * one that is strictly better, or whenever the kept one is NaN: the result is the first of the
 * best non-NaN values (which matters for -0 and +0), NaN only when every value is. Here NaN ranks
 * below every number, an index leaves the back only for a strictly better value (so among equal
 * values the earliest stays in front), and a NaN reaches the front only once the window holds
 * nothing else.
 */
export class SlidingExtreme {
  private queue = new Int32Array(256);
  private head = 0;
  private tail = 0;
  /** Samples up to this index (exclusive) have entered the queue. */
  private entered = 0;
  private vs: ArrayLike<number> = [];
  private max = true;

  /** Starts over on a series' values, for `max_over_time` (`max`) or `min_over_time`. */
  reset(vs: ArrayLike<number>, max: boolean): void {
    if (this.queue.length < vs.length) this.queue = new Int32Array(vs.length);
    this.vs = vs;
    this.max = max;
    this.head = 0;
    this.tail = 0;
    this.entered = 0;
  }

  /** The extreme of the window [lo, hi) (lo < hi); lo and hi never decrease between calls. */
  extreme(lo: number, hi: number): number {
    const { vs, queue } = this;
    for (; this.entered < hi; this.entered++) {
      const f = vs[this.entered]!;
      while (this.tail > this.head && this.beats(f, vs[queue[this.tail - 1]!]!)) this.tail--;
      queue[this.tail++] = this.entered;
    }
    while (queue[this.head]! < lo) this.head++;
    return vs[queue[this.head]!]!;
  }

  /** Whether `f` is strictly better than `kept` (NaN is worse than any number). */
  private beats(f: number, kept: number): boolean {
    if (Number.isNaN(kept)) return !Number.isNaN(f);
    return this.max ? f > kept : f < kept;
  }
}
