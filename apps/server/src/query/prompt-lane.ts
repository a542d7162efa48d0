import type { Logger, MetricsRegistry } from '@pyrometer/telemetry';
import { isFree, type Job, type Slot } from './pool-tasks.js';
import { QuietPeriod } from './quiet-period.js';
import { raiseThreadNiceness } from './thread-sched.js';

/**
 * A pool's prompt lane: at most one worker thread at the process's priority for tasks predicted
 * short, while the pool's other workers run niced (`--query.worker-niceness`).
 *
 * Why one: on a 2-core machine the ingestion thread and one prompt worker, both at niceness 0,
 * get a core each from CFS, whatever the niced workers want; a second prompt worker would make
 * three nice-0 threads share two cores and could take the ingestion thread's (issue 12: scrapes
 * and health checks on time under query load). It comes on top of the pool's `size` niced
 * workers: under query load it is idle (see `choose`), and taking one of their places halved
 * the dashboard queries completed beside a heavy query (query-load bench, server README). The
 * niced workers are what the niceness was for: long queries, which may run for seconds. The
 * cost of niceness is a small query niced behind every other nice-0 thread of the machine,
 * waiting for a core longer than it runs (the server README, "Outlier rounds"); the lane takes
 * those waits out for the queries where they dominate.
 */
export interface PromptLaneOptions {
  /**
   * A task whose shape's last run took at most this many CPU-ms of its worker thread is predicted
   * short. CPU, not wall: a niced run's wall time counts its waits for a core, which would keep a
   * shape on the niced lane for good.
   */
  shortTaskMs: number;
  /** How long (wall ms) a task may run on the prompt worker before its thread is niced for good (a misprediction). */
  budgetMs: number;
  /** Least time (ms) between two prompt worker starts: bounds the churn of mispredictions (a start costs ~140 CPU-ms). */
  restartAfterMs: number;
  /**
   * How long (ms) the pool must have run no task before a prompt worker asked for starts: its
   * start and warm-up then take no core from the queries of a burst (a client's next query comes
   * a few ms after its answer).
   */
  startWhenIdleMs: number;
  /** Most shapes whose cost is remembered (the least recently run ones are forgotten). */
  shapes: number;
}

/**
 * The server's lane. 6 CPU-ms: the small dashboard queries whose rounds waited for a core (3–13 ms
 * wall, their worker running 1–5 ms of it) are under it. It was 20 until the twelfth pass (server
 * README): mid-size queries (6–20 CPU-ms warm) then moved to the prompt worker, whose isolate had
 * not compiled the engine for their inputs, ran there at 2–4 times their warm cost with compile
 * jobs taking the cores, fell back to the niced worker, and went back and forth; on the niced
 * worker, warm from the large queries, their waits for a core are small beside their run. 100 ms
 * of wall: far above the prediction, so that a prompt task that waited for storage answers or a
 * core is not taken for a misprediction, and short of a scrape interval's share worth protecting.
 */
export const PROMPT_LANE: PromptLaneOptions = { shortTaskMs: 6, budgetMs: 100, restartAfterMs: 10_000, startWhenIdleMs: 100, shapes: 4096 };

/**
 * The prediction and bookkeeping of a pool's prompt lane: the cost of each shape's last run, which
 * task the prompt worker takes, when another may start, and the demotion of one whose task overran.
 */
export class PromptLane {
  /** CPU-ms of each shape's last run, least recently run first. */
  private readonly costs = new Map<string, number>();
  private lastStart = -Infinity;
  /** Set when a short task found no prompt worker: one starts once the pool has been idle for `startWhenIdleMs`. */
  private wanted = false;
  /** Times the idle spell a prompt worker asked for waits: one timer per spell, none set and cleared per task of a burst. */
  private readonly idleSpell: QuietPeriod;
  private readonly tasks;
  private readonly demotions;

  /** `niceness`: the niced workers' (the pool enables the lane only when it is above 0); `start` starts a prompt worker (see {@link poolIdle}). */
  constructor(
    private readonly options: PromptLaneOptions,
    private readonly niceness: number,
    private readonly logger: Logger,
    registry: MetricsRegistry | undefined,
    start: () => void,
  ) {
    this.idleSpell = new QuietPeriod(options.startWhenIdleMs, () => {
      this.wanted = false;
      start();
    });
    this.tasks = registry?.counter({ name: 'pyrometer_query_prompt_tasks_total', help: 'Query worker tasks run on the prompt worker, at the process priority: predicted short from their last run.' });
    this.demotions = registry?.counter({ name: 'pyrometer_query_prompt_worker_demotions_total', help: 'Prompt query workers niced for good because a task ran past the lane budget.' });
    this.tasks?.inc(0);
    this.demotions?.inc(0);
  }

  /**
   * Where `job`, the first of `waiting` tasks, goes: the prompt worker among `slots` when the job
   * is predicted short, nothing else waits (under query load every task runs niced, as without a
   * lane) and the worker is warm (its warm-up ran through) and free; else undefined. When there
   * is no prompt worker, one is asked for (see {@link poolIdle}); this task does not wait for it.
   * A prompt worker takes no task before its warm-up has run through: a fresh isolate compiles
   * the engine anew, and its first queries ran several times slower than on the warm niced
   * worker they would have left (server README, "The first queries on a worker").
   */
  choose(job: Job, waiting: number, slots: Iterable<Slot>): Slot | undefined {
    if (waiting !== 1 || job.shape === undefined) return undefined;
    const cost = this.costs.get(job.shape);
    if (cost === undefined || cost > this.options.shortTaskMs) return undefined;
    const prompt = promptSlot(slots);
    if (prompt === undefined) this.wanted = true;
    return prompt?.warm === true && isFree(prompt) ? prompt : undefined;
  }

  /**
   * Called after the pool handed out its waiting tasks: whether it now runs none (`idle`). A
   * prompt worker asked for is started (the constructor's `start`) once the pool has stayed idle
   * for `startWhenIdleMs`; a task in between puts that off to the next idle spell.
   */
  poolIdle(idle: boolean): void {
    if (!idle) this.idleSpell.busy();
    else if (this.wanted) this.idleSpell.quiet();
  }

  /** Cancels a prompt worker start that waits (the pool stopped). */
  stop(): void {
    this.idleSpell.stop();
  }

  /**
   * A task of `shape` ran `ms` (CPU-ms of its worker, or wall where that is unknown). A short one
   * asks for a prompt worker when there is none (see {@link poolIdle}), so the worker can start in
   * the pool's next idle spell instead of after the shape's next run: clients that keep the pool
   * busy, with gaps of over `startWhenIdleMs` only after long tasks (the PromQL bench, alternating
   * with Prometheus), otherwise ran every short task niced.
   */
  record(shape: string | undefined, ms: number, slots: Iterable<Slot>): void {
    if (shape === undefined) return;
    if (ms <= this.options.shortTaskMs && promptSlot(slots) === undefined) this.wanted = true;
    this.costs.delete(shape);
    this.costs.set(shape, ms);
    if (this.costs.size > this.options.shapes) this.costs.delete(this.costs.keys().next().value!);
  }

  /** Whether a prompt worker may start now (the first at once, then one per `restartAfterMs`); if so, counts it started. */
  mayStart(): boolean {
    const now = performance.now();
    if (now - this.lastStart < this.options.restartAfterMs) return false;
    this.lastStart = now;
    return true;
  }

  /**
   * `job` was handed to the prompt worker `slot`: if it still runs when the budget is spent, the
   * worker's thread is niced for good (as the pool's other workers; off Linux there is no thread
   * to renice) and the pool starts another prompt worker when a short task next needs one. The
   * pool clears `job.budgetTimer` when the job has answered.
   */
  watch(slot: Slot, job: Job): void {
    this.tasks?.inc();
    job.budgetTimer = setTimeout(() => {
      if (slot.job !== job || !slot.prompt) return;
      slot.prompt = false;
      raiseThreadNiceness(slot.tid, this.niceness);
      this.demotions?.inc();
      this.logger.debug('A task overran the prompt lane: its worker is niced', { budgetMs: this.options.budgetMs });
    }, this.options.budgetMs);
  }
}

/** The pool's prompt worker among `slots`, unless it is being stopped. */
function promptSlot(slots: Iterable<Slot>): Slot | undefined {
  for (const slot of slots) if (slot.prompt && !slot.terminating) return slot;
  return undefined;
}
