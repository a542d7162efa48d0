import { ApiError, ErrorType } from '@pyrometer/http-api';
import type { FromWorker, RemoteReadSettings, StorageCall, Task, ToWorker } from './protocol.js';
import { ChunkArenas } from './chunk-arenas.js';
import { IdleRetirement, type RetiringPool } from './idle-retirement.js';
import { SentLabels } from './label-cache.js';
import { FAILURE_TYPES, isLastAnswer, releaseAll, type Job, type Slot } from './pool-tasks.js';
import type { QueryPoolOptions, RunOptions, TaskListener, TaskMessage } from './query-pool-options.js';
import { PoolGrowth } from './pool-growth.js';
import { PrefetchAccounting } from './prefetch-accounting.js';
import { spawnQueryWorker } from './spawn-worker.js';
import { answerStorageCall } from './storage-host.js';

/**
 * By default a worker's label cache is dropped (between tasks) once it holds more series than
 * this many times the head's, so series the head has dropped since do not pile up in it...
 */
const LABEL_CACHE_SLACK = 2;
/** ...but not before it holds this many. */
const LABEL_CACHE_FLOOR = 10_000;
/** Free chunk arenas the pool keeps for the next selects (see chunk-arenas.ts); more are left to the GC. */
const ARENA_RETAIN_BYTES = 64 * 1024 * 1024;

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
 */
export class QueryPool {
  private readonly slots = new Set<Slot>();
  /** The tasks given to workers and not yet reported done, by id (a worker's answered task and its next one may both be here). */
  private readonly jobs = new Map<number, Job>();
  private readonly queue: { high: Job[]; normal: Job[] } = { high: [], normal: [] };
  private nextId = 1;
  private stopped = false;
  private readonly restarts;
  private readonly cancellations;
  private readonly storageSeconds;
  private readonly prefetches;
  private readonly idleRetirement: IdleRetirement<Slot>;
  private remoteRead: RemoteReadSettings;
  /** When a waiting task may start a worker (see {@link RunOptions.growAfterMs}). */
  private readonly growth = new PoolGrowth(() => this.dispatch());
  private readonly arenas = new ChunkArenas(ARENA_RETAIN_BYTES);

  constructor(private readonly options: QueryPoolOptions) {
    this.remoteRead = options.config.remoteRead;
    const r = options.registry;
    r?.gaugeFunc({ name: 'prometheus_engine_queries', help: 'The current number of queries being executed or waiting.' }, () => this.queue.high.length + this.queue.normal.length + this.jobs.size);
    r?.gaugeFunc({ name: 'pyrometer_query_workers', help: 'Query worker threads running.' }, () => this.slots.size);
    this.restarts = r?.counter({ name: 'pyrometer_query_worker_restarts_total', help: 'Query workers replaced after they crashed, ran out of memory or were terminated to stop a canceled query.' });
    this.cancellations = r?.counter({ name: 'pyrometer_queries_canceled_total', help: 'Queries canceled before they finished, by reason (client gone or timeout).', labelNames: ['reason'] });
    this.storageSeconds = r?.histogram({ name: 'pyrometer_query_storage_call_duration_seconds', help: 'Time the ingestion thread spent answering one storage call of a query worker.', labelNames: ['call'], buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });
    this.prefetches = new PrefetchAccounting(r);
    this.idleRetirement = new IdleRetirement<Slot>(this.retiringPool(), options.idleWorkerMs, options.lastWorkerIdleMs, r);
    this.restarts?.inc(0);
    for (const reason of ['canceled', 'timeout']) this.cancellations?.labels(reason);
  }

  /** Runs `task` on a worker; resolves when it is done, rejects with an ApiError when it fails or is canceled. */
  run(task: Task, listener: TaskListener, options: RunOptions = {}): Promise<void> {
    if (this.stopped) return Promise.reject(new ApiError(ErrorType.Unavailable, 'the query pool is stopped'));
    return new Promise<void>((resolve, reject) => {
      const job: Job = { id: this.nextId++, task, listener, options, resolve, reject, queuedAt: performance.now(), releases: [], asked: [], prefetched: [] };
      const signal = options.signal;
      if (signal !== undefined) {
        if (signal.aborted) return reject(this.cancelError(signal));
        signal.addEventListener('abort', () => this.cancel(job, this.cancelError(signal)), { once: true });
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
    for (const job of [...this.queue.high, ...this.queue.normal]) job.reject(new ApiError(ErrorType.Unavailable, 'the query pool is stopped'));
    this.queue.high.length = 0;
    this.queue.normal.length = 0;
    await Promise.all([...this.slots].map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const cancelCell = new SharedArrayBuffer(4);
    const worker = spawnQueryWorker({ ...this.options.config, remoteRead: this.remoteRead, cancelCell }, { maxOldGenerationSizeMb: this.options.maxHeapMb, maxYoungGenerationSizeMb: this.options.youngGenerationMb });
    const slot: Slot = { worker, cancelCell: new Int32Array(cancelCell), sentLabels: new SentLabels(), job: undefined, ready: false, terminating: false };
    this.slots.add(slot);
    worker.on('message', (msg: FromWorker) => this.onMessage(slot, msg));
    let reason = 'exited';
    worker.on('error', (err) => (reason = err.message));
    worker.on('exit', (code) => this.onExit(slot, code === 0 && reason === 'exited' ? 'exited' : reason));
    return slot;
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
  private dispatch(): void {
    while (this.queue.high.length + this.queue.normal.length > 0) {
      const slot = this.freeSlot() ?? this.grow();
      if (slot === undefined) return;
      const job = (this.queue.high.shift() ?? this.queue.normal.shift())!;
      // From here on, an answer still being packed for the slot's previous task is not posted (see answerStorage).
      job.slot = slot;
      slot.job = job;
      this.jobs.set(job.id, job);
      this.idleRetirement.busy(slot);
      this.trimLabelCache(slot);
      job.prefetched.push(...this.prefetches.number(job.options.prefetch));
      this.post(slot, { type: 'task', id: job.id, task: job.task, ...(job.prefetched.length === 0 ? {} : { prefetch: job.prefetched }) }, job.options.transfer);
      // Answered while the worker parses the query: its selects are then waiting for it.
      for (const { request, call } of job.prefetched) void this.answerStorage(slot, job, request, call);
    }
  }

  /** A new worker, when the pool may grow and a waiting task may start one (see PoolGrowth). */
  private grow(): Slot | undefined {
    if (this.slots.size >= this.options.size) return undefined;
    // With none running (the last one being terminated), no worker will come free to wait for.
    const running = [...this.slots].some((slot) => !slot.terminating);
    return !running || this.growth.mayStart(this.queue.high, this.queue.normal) ? this.spawn() : undefined;
  }

  private freeSlot(): Slot | undefined {
    for (const slot of this.slots) if ((slot.job === undefined || slot.job.answered === true) && !slot.terminating) return slot;
    return undefined;
  }

  private onMessage(slot: Slot, msg: FromWorker): void {
    if (msg.type === 'ready') {
      slot.ready = true;
      if (slot.job?.canceled !== undefined) this.startGrace(slot, slot.job);
      return;
    }
    const job = this.jobs.get(msg.id);
    if (job === undefined || job.slot !== slot) return;
    if (isLastAnswer(msg)) {
      job.answered = true;
      // After this message is handled: the answer goes out before the next task is posted.
      queueMicrotask(() => this.dispatch());
    }
    switch (msg.type) {
      case 'storage':
        job.asked.push(msg.call);
        void this.answerStorage(slot, job, msg.request, msg.call);
        return;
      case 'failed':
        job.failure = new ApiError(FAILURE_TYPES[msg.code], msg.message);
        return;
      case 'done':
        this.prefetches.settle({ plan: job.options.prefetch, prefetched: job.prefetched, asked: job.asked, unused: msg.unusedPrefetch ?? [], succeeded: job.failure === undefined && job.canceled === undefined });
        this.finish(slot, job);
        return;
      default:
        if (job.canceled === undefined) void this.deliver(slot, job, msg);
    }
  }

  private async deliver(slot: Slot, job: Job, msg: TaskMessage): Promise<void> {
    const streamed = msg.type === 'chunk' || (msg.type === 'head' && !msg.head.complete);
    try {
      await job.listener(msg);
    } catch (err) {
      job.failure ??= new ApiError(ErrorType.Internal, `writing the answer failed: ${(err as Error).message}`, { cause: err });
    }
    if (streamed && slot.job === job) this.post(slot, { type: 'credit', id: job.id });
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

  private cancel(job: Job, reason: ApiError): void {
    if (job.canceled !== undefined) return;
    job.canceled = reason;
    this.cancellations?.labels(reason.type === ErrorType.Timeout ? 'timeout' : 'canceled').inc();
    const slot = job.slot;
    if (slot === undefined) {
      for (const q of [this.queue.high, this.queue.normal]) {
        const i = q.indexOf(job);
        if (i >= 0) q.splice(i, 1);
      }
      job.reject(reason);
      return;
    }
    // Answered: its worker has nothing left of it to stop (and may be running the next task).
    if (job.answered === true) return;
    Atomics.store(slot.cancelCell, 0, job.id);
    // Wakes a response stream waiting for flow-control credit, so it sees the cancellation.
    this.post(slot, { type: 'credit', id: job.id });
    // A worker still loading its modules sees the cancellation as soon as it reads the task.
    if (slot.ready) this.startGrace(slot, job);
  }

  /** Terminates the worker of a canceled task that has not stopped within the grace period. */
  private startGrace(slot: Slot, job: Job): void {
    job.graceTimer = setTimeout(() => {
      if (slot.job !== job) return;
      this.options.logger.warn('Terminating a query worker whose canceled task did not stop', { graceMs: this.grace });
      slot.terminating = true;
      void slot.worker.terminate();
    }, this.grace);
  }

  private get grace(): number {
    return this.options.cancelGraceMs ?? 50;
  }

  private finish(slot: Slot, job: Job): void {
    clearTimeout(job.graceTimer);
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

  private cancelError(signal: AbortSignal): ApiError {
    return signal.reason instanceof ApiError ? signal.reason : new ApiError(ErrorType.Canceled, 'query was canceled in query execution');
  }

  private post(slot: Slot, msg: ToWorker, transfer: ArrayBuffer[] = []): void {
    slot.worker.postMessage(msg, transfer);
  }
}
