import type { MetricsRegistry } from '@pyrometer/telemetry';

/**
 * Default idle time (ms) before a worker stops: longer than a dashboard's usual refresh, so the
 * workers a dashboard's burst of panels started are there for its next burst. An idle worker
 * holds tens of MiB (its isolate, and the labels of every head series it was sent).
 */
export const IDLE_WORKER_MS = 60_000;

/**
 * Default idle time (ms) before the last running worker stops. Longer than the others' because
 * the next task after it pays a worker start (0.5–1 s on a 2-core machine, see the server README,
 * "Idle RSS"): a dashboard refreshing every few minutes, or a rule group evaluated every minute
 * (upstream's default interval), keeps it; a server nobody queried for five minutes gives its
 * ~30–45 MiB back.
 */
export const LAST_WORKER_IDLE_MS = 300_000;

/** What {@link IdleRetirement} needs of the pool whose workers it stops. */
export interface RetiringPool<W> {
  /** Whether `worker` may be stopped now: no task, not already terminating, pool not stopped. */
  isIdle(worker: W): boolean;
  /** How many workers are running and not terminating. */
  running(): number;
  /** The last running worker is about to be stopped: drops what the pool kept for the workers' next selects. */
  lastGoes(): void;
  /** Stops `worker` for idling (its exit is then no failure and needs no replacement). */
  retire(worker: W): void;
}

/**
 * Stops query workers that went `idleMs` without a task, giving back what a worker keeps after
 * queries (label cache, grown heap: ~230 MiB after a few 100k-series queries), the last one too:
 * the last one after `lastIdleMs`: an idle server runs no worker (~30–45 MiB less RSS), and its next task starts one (see the
 * server README, "Idle RSS", for what that first task pays). Counts the workers it stopped. One
 * per pool.
 */
export class IdleRetirement<W> {
  private readonly timers = new Map<W, NodeJS.Timeout>();
  private readonly stops;

  constructor(
    private readonly pool: RetiringPool<W>,
    private readonly idleMs: number = IDLE_WORKER_MS,
    private readonly lastIdleMs: number = LAST_WORKER_IDLE_MS,
    registry?: MetricsRegistry,
  ) {
    this.stops = registry?.counter({ name: 'pyrometer_query_workers_stopped_idle_total', help: 'Query workers stopped after going without a task for a while.' });
    this.stops?.inc(0);
  }

  /**
   * `worker` finished its tasks: it is stopped `idleMs` from now unless it takes another first,
   * or, if it is then the last one running, `lastIdleMs` from now.
   */
  idle(worker: W): void {
    this.busy(worker);
    this.stopLater(worker, this.idleMs, Math.max(0, this.lastIdleMs - this.idleMs));
  }

  private stopLater(worker: W, afterMs: number, moreIfLastMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(worker);
      if (!this.pool.isIdle(worker)) return;
      const last = this.pool.running() <= 1;
      if (last && moreIfLastMs > 0) return this.stopLater(worker, moreIfLastMs, 0);
      if (last) this.pool.lastGoes();
      this.stops?.inc();
      this.pool.retire(worker);
    }, afterMs).unref();
    this.timers.set(worker, timer);
  }

  /** `worker` took a task or exited: it is not stopped for idling. */
  busy(worker: W): void {
    clearTimeout(this.timers.get(worker));
    this.timers.delete(worker);
  }
}
