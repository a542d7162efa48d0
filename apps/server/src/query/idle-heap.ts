import { getHeapSpaceStatistics } from 'node:v8';

/**
 * How long (ms) a query worker stays idle before it gives back its young generation. V8 sizes the
 * young generation from the allocation throughput of the last ~5 s, so the wait must be longer than
 * that; a dashboard refreshing every 15 s or faster keeps its worker's grown young generation.
 */
export const IDLE_SHRINK_MS = 15_000;

/** Most tries in one idle spell: V8 does not always shrink at the first (see IdleHeapShrinker). */
const MAX_TRIES = 4;

/** The young generation counts as given back once this little of it (bytes) is resident. */
const RESIDENT_GOAL_BYTES = 2 ** 20;

/**
 * Gives back a query worker's grown young generation once it has been idle for a while. A worker's
 * semi-spaces grow (up to the pool's limit) while queries keep much of what they allocate alive —
 * the warm-up alone grows them from 16 to 32 MiB, ~48 MiB resident — and V8 shrinks them only after
 * a garbage collection that finds the allocation throughput low, which an idle worker never runs
 * until V8's memory reducer gets to it (20–40 s, or never while the process is busy). So when
 * `idleMs` pass with no task running, this runs two scavenges (`collect`, V8's `gc` function,
 * which the worker has when `--expose-gc` was set before it started): the first one's epilogue
 * shrinks the semi-spaces to their minimum, the second moves the survivors into a freshly
 * committed semi-space, so no page the old ones touched stays resident. V8 judges the throughput
 * over its own recent samples, and after a large query it may not shrink yet: while more than
 * {@link RESIDENT_GOAL_BYTES} stay resident it tries again `idleMs` later, {@link MAX_TRIES} times
 * in all. The first try of an idle spell starts with V8's last-resort full collection (a few
 * CPU-ms): an idle server 40–45 s after start then held 86–89 MiB RSS in 7 runs, 87–103 in 5
 * without it, though V8's own space figures for the worker stayed the same (see the server
 * README, "Idle RSS"). Not thread-safe; one per worker.
 */
export class IdleHeapShrinker {
  private running = 0;
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param collect V8's `gc`; undefined (no `--expose-gc`) turns the shrinker off.
   * @param residentYoungBytes how much of the young generation is resident (V8's own figure by default).
   */
  constructor(
    private readonly idleMs: number,
    private readonly collect: NodeJS.GCFunction | undefined,
    private readonly residentYoungBytes: () => number = youngGenerationResidentBytes,
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

  /** Whether no task is running. */
  get idle(): boolean {
    return this.running === 0;
  }

  /** (Re)starts the idle wait if no task is running (e.g. after the warm-up allocated). */
  schedule(): void {
    this.cancel();
    if (this.running > 0 || this.collect === undefined) return;
    this.tryLater(MAX_TRIES, this.collect);
  }

  private tryLater(tries: number, collect: NodeJS.GCFunction): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (tries === MAX_TRIES) collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
      collect({ type: 'minor', execution: 'sync' });
      collect({ type: 'minor', execution: 'sync' });
      if (tries > 1 && this.residentYoungBytes() > RESIDENT_GOAL_BYTES) this.tryLater(tries - 1, collect);
    }, this.idleMs).unref();
  }

  private cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function youngGenerationResidentBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.physical_space_size ?? 0;
}
