/**
 * How long (ms) a query worker stays idle before it gives back its young generation. V8 sizes the
 * young generation from the allocation throughput of the last ~5 s, so the wait must be longer than
 * that; a dashboard refreshing every 15 s or faster keeps its worker's grown young generation.
 */
export const IDLE_SHRINK_MS = 15_000;

/**
 * Gives back a query worker's grown young generation once it has been idle for a while. A worker's
 * semi-spaces grow (up to the pool's limit) while queries keep much of what they allocate alive —
 * the warm-up alone grows them from 16 to 32 MiB, ~48 MiB resident — and V8 shrinks them only after
 * a garbage collection that finds the allocation throughput low, which an idle worker never runs
 * until V8's memory reducer gets to it (20–40 s, or never while the process is busy). So when
 * `idleMs` pass with no task running, this runs one scavenge (`collect`, V8's `gc` function, which
 * the worker has when `--expose-gc` was set before it started); its epilogue shrinks the
 * semi-spaces to their minimum. Not thread-safe; one per worker.
 */
export class IdleHeapShrinker {
  private running = 0;
  private timer: NodeJS.Timeout | undefined;

  /** @param collect V8's `gc`; undefined (no `--expose-gc`) turns the shrinker off. */
  constructor(
    private readonly idleMs: number,
    private readonly collect: NodeJS.GCFunction | undefined,
  ) {}

  /** A task started: the worker is busy until the matching {@link taskEnded}. */
  taskStarted(): void {
    this.running++;
    this.cancel();
  }

  /** A task ended: shrinks `idleMs` from now unless another starts first. */
  taskEnded(): void {
    this.running--;
    this.schedule();
  }

  /** (Re)starts the idle wait if no task is running (e.g. after the warm-up allocated). */
  schedule(): void {
    this.cancel();
    const collect = this.collect;
    if (this.running > 0 || collect === undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      collect({ type: 'minor', execution: 'sync' });
    }, this.idleMs).unref();
  }

  private cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
