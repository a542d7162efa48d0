import { ApiError, ErrorType } from '@pyrometer/http-api';
import { isLastAnswer, type FromWorker, type LastAnswer, type RemoteReadSettings, type StorageCall, type Task, type TaskDone, type ToWorker } from './protocol.js';
import { ChunkArenas } from './chunk-arenas.js';
import { cancelError, TaskCancellation } from './pool-cancel.js';
import { IdleRetirement, type RetiringPool } from './idle-retirement.js';
import { SentLabels } from './label-cache.js';
import { FAILURE_TYPES, isFree, releaseAll, type Job, type Slot } from './pool-tasks.js';
import type { QueryPoolOptions, RunOptions, TaskListener, TaskMessage } from './query-pool-options.js';
import { PoolGrowth } from './pool-growth.js';
import { PrefetchAccounting } from './prefetch-accounting.js';
import { PromptLane } from './prompt-lane.js';
import { QuietPeriod } from './quiet-period.js';
import { spawnQueryWorker } from './spawn-worker.js';
import { answerStorageCall } from './storage-host.js';
import { taskShape } from './task-shape.js';
import { runsTask, WarmUpHold } from './warm-up-hold.js';

/**
 * By default a worker's label cache is dropped (between tasks) once it holds more series than
 * this many times the head's, so series the head has dropped since do not pile up in it...
 */
const LABEL_CACHE_SLACK = 2;
/** ...but not before it holds this many. */
const LABEL_CACHE_FLOOR = 10_000;
/** Free chunk arenas the pool keeps for the next selects (see chunk-arenas.ts); more are left to the GC. */
const ARENA_RETAIN_BYTES = 64 * 1024 * 1024;

/**
 * How long the pool must have run no task before the warm-ups it holds (warm-up-hold.ts) are let go.
 * Released at every query's end and held again at the next one's start, a worker not yet warm
 * got two messages per query, each a wake-up of its thread: ~0.14 CPU-ms of the process per
 * small query in a fresh server's burst (server README, "The main thread's share of a small
 * query"). A released warm-up waits for its own 100 ms of idleness anyway (warm-up.ts).
 */
const WARM_UP_RELEASE_QUIET_MS = 50;

/** Delay before a waiting task may replace a worker that died before it was ready (a broken install must not spin). */
const RESPAWN_BACKOFF_MS = 1000;

/**
 * A pool of query worker threads (see worker-main.ts): tasks wait in arrival order (high priority
 * first) for a free worker, run one per worker, and reach the TSDB through {@link answerStorageCall}
 * on this (the ingestion) thread. No worker runs until a task comes: the first task starts one,
 * and workers that go idle stop (idle-retirement.ts), the last one too. Cancellation writes the
 * task's id into the worker's shared cancel cell, which the engine polls; a task that has not
 * stopped `cancelGraceMs` later has its worker terminated. A worker that crashes or runs out of
 * memory fails its task with an internal error naming the reason; the next waiting task starts
 * another. Every rejection is an {@link ApiError}.
 *
 * With a prompt lane (`promptLane`, niced workers, a size of 2 or more), one of the workers runs
 * at the process's priority and takes the tasks predicted short (prompt-lane.ts), the others are
 * niced and take the rest; a prompt task that overruns the lane's budget has its worker niced.
 * The prompt worker starts once the pool has idled and takes tasks once its warm-up has run
 * through; no worker warms up while a task runs in the pool (warm-up-hold.ts).
 */
export class QueryPool {
  private readonly slots = new Set<Slot>();
  /** The tasks given to workers and not yet reported done, by id (a worker's answered task and its next one may both be here). */
  private readonly jobs = new Map<number, Job>();
  private readonly queue: { high: Job[]; normal: Job[] } = { high: [], normal: [] };
  private nextId = 1;
  private stopped = false;
  private readonly restarts;
  private readonly cancellation: TaskCancellation;
  private readonly storageSeconds;
  private readonly prefetches;
  private readonly idleRetirement: IdleRetirement<Slot>;
  private remoteRead: RemoteReadSettings;
  /** When a waiting task may start a worker (see {@link RunOptions.growAfterMs}). */
  private readonly growth = new PoolGrowth(() => this.dispatch());
  private readonly arenas = new ChunkArenas(ARENA_RETAIN_BYTES);
  private readonly lane: PromptLane | undefined;
  private readonly warmUpHold = new WarmUpHold((slot, message) => this.post(slot, message));
  private readonly warmUpRelease = new QuietPeriod(WARM_UP_RELEASE_QUIET_MS, () => this.warmUpHold.sync(this.slots));

  constructor(private readonly options: QueryPoolOptions) {
    this.remoteRead = options.config.remoteRead;
    const r = options.registry;
    r?.gaugeFunc({ name: 'prometheus_engine_queries', help: 'The current number of queries being executed or waiting.' }, () => this.queue.high.length + this.queue.normal.length + this.jobs.size);
    r?.gaugeFunc({ name: 'pyrometer_query_workers', help: 'Query worker threads running.' }, () => this.slots.size);
    this.restarts = r?.counter({ name: 'pyrometer_query_worker_restarts_total', help: 'Query workers replaced after they crashed, ran out of memory or were terminated to stop a canceled query.' });
    this.cancellation = new TaskCancellation({ registry: r, logger: options.logger, graceMs: options.cancelGraceMs ?? 50, wake: (slot, id) => this.post(slot, { type: 'credit', id }) });
    this.storageSeconds = r?.histogram({ name: 'pyrometer_query_storage_call_duration_seconds', help: 'Time the ingestion thread spent answering one storage call of a query worker.', labelNames: ['call'], buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });
    this.prefetches = new PrefetchAccounting(r);
    this.idleRetirement = new IdleRetirement<Slot>(this.retiringPool(), options.idleWorkerMs, options.lastWorkerIdleMs, r);
    const { promptLane } = options;
    this.lane = promptLane !== undefined && options.config.niceness > 0 && options.size >= 2 ? new PromptLane(promptLane, options.config.niceness, options.logger, r, () => this.startPrompt()) : undefined;
    this.restarts?.inc(0);
  }

  /** Runs `task` on a worker; resolves when it is done, rejects with an ApiError when it fails or is canceled. */
  run(task: Task, listener: TaskListener, options: RunOptions = {}): Promise<void> {
    if (this.stopped) return Promise.reject(new ApiError(ErrorType.Unavailable, 'the query pool is stopped'));
    return new Promise<void>((resolve, reject) => {
      const job: Job = { id: this.nextId++, task, listener, options, resolve, reject, queuedAt: performance.now(), shape: this.lane === undefined ? undefined : taskShape(task), releases: [], asked: [], prefetched: [] };
      const signal = options.signal;
      if (signal !== undefined) {
        if (signal.aborted) return reject(cancelError(signal));
        signal.addEventListener('abort', () => this.cancellation.cancel(job, cancelError(signal), this.queue), { once: true });
      }
      this.queue[options.priority ?? 'normal'].push(job);
      this.dispatch();
    });
  }

  /** Gives every worker (and those started later) new `remote_read` endpoints; tasks that start afterwards use them. */
  setRemoteRead(settings: RemoteReadSettings): void {
    this.remoteRead = settings;
    for (const slot of this.slots) this.post(slot, { type: 'remote-read', settings });
  }

  /** Terminates every worker; waiting tasks fail as unavailable. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.growth.stop();
    this.warmUpRelease.stop();
    this.lane?.stop();
    for (const job of [...this.queue.high, ...this.queue.normal]) job.reject(new ApiError(ErrorType.Unavailable, 'the query pool is stopped'));
    this.queue.high.length = 0;
    this.queue.normal.length = 0;
    await Promise.all([...this.slots].map((s) => s.worker.terminate()));
  }

  /** Starts a worker: niced as configured, or at the process's priority as the prompt worker. */
  private spawn(prompt = false): Slot {
    const cancelCell = new SharedArrayBuffer(4);
    const niceness = prompt ? 0 : this.options.config.niceness;
    const worker = spawnQueryWorker({ ...this.options.config, niceness, remoteRead: this.remoteRead, cancelCell }, { maxOldGenerationSizeMb: this.options.maxHeapMb, maxYoungGenerationSizeMb: this.options.youngGenerationMb });
    const slot: Slot = { worker, cancelCell: new Int32Array(cancelCell), sentLabels: new SentLabels(), job: undefined, ready: false, warm: false, terminating: false, prompt };
    this.slots.add(slot);
    worker.on('message', (msg: FromWorker) => this.onMessage(slot, msg));
    let reason = 'exited';
    worker.on('error', (err) => (reason = err.message));
    worker.on('exit', (code) => this.onExit(slot, code === 0 && reason === 'exited' ? 'exited' : reason));
    return slot;
  }

  /**
   * Hands out waiting tasks, then holds the warm-ups (warm-up-hold.ts) while a task runs, or lets
   * them go once the pool has run none for {@link WARM_UP_RELEASE_QUIET_MS}, and lets the lane time
   * a prompt worker's start.
   */
  private dispatch(): void {
    this.assignWaiting();
    const busy = runsTask(this.slots);
    if (busy) {
      this.warmUpRelease.busy();
      this.warmUpHold.sync(this.slots);
    } else this.warmUpRelease.quiet();
    this.lane?.poolIdle(!busy && this.queue.high.length + this.queue.normal.length === 0);
  }

  /**
   * Hands waiting tasks to free workers, starting workers (up to `size`) while every running one is
   * busy. A worker whose task has sent its last answer is free: its `done` is a message behind, and
   * a client that sends its next query as soon as it has the answer gets here first. The worker
   * reads the next task after it has finished the last (a thread runs one message at a time), so
   * the query neither waits for that `done` to cross to this thread (a wake-up of each thread;
   * ~0.2 ms of a small query on a busy machine, see the server README) nor starts another worker,
   * whose start and warm-up cost hundreds of CPU-ms and whose code and label cache are cold.
   */
  private assignWaiting(): void {
    while (this.queue.high.length + this.queue.normal.length > 0) {
      const queue = this.queue.high.length > 0 ? this.queue.high : this.queue.normal;
      const slot = this.slotFor(queue[0]!);
      if (slot === undefined) return;
      const job = queue.shift()!;
      // From here on, an answer still being packed for the slot's previous task is not posted (see answerStorage).
      job.slot = slot;
      job.dispatchedAt = performance.now();
      slot.job = job;
      if (slot.prompt) this.lane!.watch(slot, job);
      this.jobs.set(job.id, job);
      this.idleRetirement.busy(slot);
      this.trimLabelCache(slot);
      job.prefetched.push(...this.prefetches.number(job.options.prefetch));
      this.post(slot, { type: 'task', id: job.id, task: job.task, ...(job.prefetched.length === 0 ? {} : { prefetch: job.prefetched }) }, job.options.transfer);
      // Answered while the worker parses the query: its selects are then waiting for it.
      for (const { request, call } of job.prefetched) void this.answerStorage(slot, job, request, call);
    }
  }

  /** The worker for `job`, the first waiting task: the prompt worker if the lane chooses it, else a free niced worker, or a new one. */
  private slotFor(job: Job): Slot | undefined {
    return this.lane?.choose(job, this.queue.high.length + this.queue.normal.length, this.slots) ?? this.freeSlot() ?? this.grow();
  }

  /**
   * A new niced worker, when the pool may grow (up to `size` niced workers; a prompt worker comes
   * on top, see PromptLane) and a waiting task may start one (see PoolGrowth).
   */
  private grow(): Slot | undefined {
    const niced = [...this.slots].filter((slot) => !slot.prompt);
    if (niced.length >= this.options.size) return undefined;
    // With none running (the last one being terminated), no worker will come free to wait for.
    const running = niced.some((slot) => !slot.terminating);
    return !running || this.growth.mayStart(this.queue.high, this.queue.normal) ? this.spawn() : undefined;
  }

  /** A free niced worker. */
  private freeSlot(): Slot | undefined {
    for (const slot of this.slots) if (!slot.prompt && isFree(slot)) return slot;
    return undefined;
  }

  /** Starts the prompt worker the lane asked for once the pool idled (PromptLane.poolIdle), when it allows a start (one per `restartAfterMs`). */
  private startPrompt(): void {
    if (this.stopped || this.lane?.mayStart() !== true) return;
    // Stopped like any worker if no short task comes for it.
    this.idleRetirement.idle(this.spawn(true));
  }

  private onMessage(slot: Slot, msg: FromWorker): void {
    if (msg.type === 'ready') {
      slot.ready = true;
      if (msg.tid !== undefined) slot.tid = msg.tid;
      // A worker whose bundle compiled without the build's code cache cost a fresh server's first query ~70 CPU-ms more (README, "RSS per series, third pass").
      this.options.logger.debug('Query worker started', { prompt: slot.prompt, codeCache: msg.codeCache });
      if (slot.job?.canceled !== undefined) this.cancellation.startGrace(slot, slot.job);
      return;
    }
    if (msg.type === 'warm') {
      slot.warm = true;
      // A prompt worker takes tasks once warm (prompt-lane.ts): a short one may be waiting for it.
      if (slot.prompt) this.dispatch();
      return;
    }
    const job = this.jobs.get(msg.id);
    if (job === undefined || job.slot !== slot) return;
    if (msg.type === 'storage') {
      job.asked.push(msg.call);
      void this.answerStorage(slot, job, msg.request, msg.call);
      return;
    }
    if (!isLastAnswer(msg)) {
      if (job.canceled === undefined) void this.deliver(slot, job, msg as TaskMessage);
      return;
    }
    const last = msg as LastAnswer;
    job.answered = true;
    clearTimeout(job.budgetTimer);
    // After this message is handled: the answer goes out before the next task is posted.
    queueMicrotask(() => this.dispatch());
    if (last.type === 'failed') {
      job.failure = new ApiError(FAILURE_TYPES[last.code], last.message);
      this.settle(slot, job, last.done);
    } else if (job.canceled !== undefined) this.settle(slot, job, last.done);
    // Settled once the answer is handed over: a listener's failure fails the task.
    else void this.deliver(slot, job, last).then(() => this.settle(slot, job, last.done));
  }

  /** Hands a task's message to its listener; a streamed piece other than the last gets its `credit` back once handled (flow control). */
  private async deliver(slot: Slot, job: Job, msg: TaskMessage): Promise<void> {
    const credited = (msg.type === 'chunk' && !msg.last) || (msg.type === 'head' && !msg.head.complete);
    try {
      await job.listener(msg);
    } catch (err) {
      job.failure ??= new ApiError(ErrorType.Internal, `writing the answer failed: ${(err as Error).message}`, { cause: err });
    }
    if (credited && slot.job === job) this.post(slot, { type: 'credit', id: job.id });
  }

  /** Ends a task on its last answer: accounts its prefetched calls and its cost (`done`), then resolves or rejects it. */
  private settle(slot: Slot, job: Job, done: TaskDone = {}): void {
    // Failed meanwhile with its worker (onExit), while its answer was being written.
    if (this.jobs.get(job.id) !== job) return;
    this.prefetches.settle({ plan: job.options.prefetch, prefetched: job.prefetched, asked: job.asked, unused: done.unusedPrefetch ?? [], succeeded: job.failure === undefined && job.canceled === undefined });
    // A canceled task's cost says nothing of the next run's.
    if (job.canceled === undefined) this.lane?.record(job.shape, done.cpuMs ?? performance.now() - job.dispatchedAt!, this.slots);
    this.finish(slot, job);
  }

  private async answerStorage(slot: Slot, job: Job, request: number, call: StorageCall): Promise<void> {
    if (job.canceled !== undefined) return this.post(slot, { type: 'storage-reply', request, ok: false, code: 'canceled', message: job.canceled.message });
    const begin = performance.now();
    try {
      const answer = await answerStorageCall(this.options.storage, call, { get aborted() { return job.canceled !== undefined; } }, { sent: slot.sentLabels, arenas: this.arenas });
      this.storageSeconds?.labels(call.call).observe((performance.now() - begin) / 1000);
      if (slot.job !== job) return answer.release();
      job.releases.push(answer.release);
      // Marked as it is posted: an answer packed meanwhile carried the same labels again (harmless).
      slot.sentLabels.add(answer.newlySent);
      this.post(slot, { type: 'storage-reply', request, ok: true, result: answer.result }, answer.transfer);
    } catch (err) {
      if (slot.job === job) this.post(slot, { type: 'storage-reply', request, ok: false, code: 'storage', message: (err as Error).message });
    }
  }

  private finish(slot: Slot, job: Job): void {
    clearTimeout(job.graceTimer);
    clearTimeout(job.budgetTimer);
    if (slot.job === job) slot.job = undefined;
    this.jobs.delete(job.id);
    releaseAll(job);
    if (slot.job === undefined) this.idleRetirement.idle(slot);
    const error = job.canceled ?? job.failure;
    if (error === undefined) job.resolve();
    else job.reject(error);
    this.dispatch();
  }

  /**
   * As the slot takes a task (no answer of the slot is in flight: one still being packed for the
   * previous task is never posted), drops the worker's label cache when it outgrew the head, in
   * the same step on both sides.
   */
  private trimLabelCache(slot: Slot): void {
    const most = this.options.maxCachedLabels ?? Math.max(LABEL_CACHE_FLOOR, LABEL_CACHE_SLACK * this.options.storage.head.numSeries);
    if (slot.sentLabels.size <= most) return;
    slot.sentLabels.clear();
    this.post(slot, { type: 'forget-labels' });
  }

  /** How idle workers are stopped (idle-retirement.ts); when the last one goes, so do the chunk arenas kept for its next select. */
  private retiringPool(): RetiringPool<Slot> {
    return {
      isIdle: (slot) => slot.job === undefined && !slot.terminating && !this.stopped,
      running: () => [...this.slots].filter((s) => !s.terminating).length,
      lastGoes: () => this.arenas.dropKept(),
      retire: (slot) => {
        slot.retired = true;
        slot.terminating = true;
        void slot.worker.terminate();
      },
    };
  }

  private onExit(slot: Slot, reason: string): void {
    this.slots.delete(slot);
    this.idleRetirement.busy(slot);
    // A task that came while it was stopping waits for its place (the pool may be at its size).
    if (slot.retired === true) {
      this.dispatch();
      return;
    }
    const job = slot.job;
    slot.job = undefined;
    for (const lost of [...this.jobs.values()].filter((j) => j.slot === slot)) {
      clearTimeout(lost.graceTimer);
      clearTimeout(lost.budgetTimer);
      this.jobs.delete(lost.id);
      releaseAll(lost);
      lost.reject(lost.canceled ?? new ApiError(ErrorType.Internal, `query worker stopped: ${reason}`));
    }
    if (this.stopped) return;
    this.restarts?.inc();
    if (job?.canceled === undefined) this.options.logger.error('Query worker stopped; starting another', { reason });
    // A replacement starts only for a waiting task (dispatch), as the first worker does.
    if (slot.ready) this.dispatch();
    else setTimeout(() => this.dispatch(), RESPAWN_BACKOFF_MS).unref();
  }

  private post(slot: Slot, msg: ToWorker, transfer: ArrayBuffer[] = []): void {
    slot.worker.postMessage(msg, transfer);
  }
}
