// A query worker thread: parses, evaluates and encodes queries (and decodes remote write bodies)
// off the ingestion thread. Storage is reached through the main thread (RemoteQueryable); a task
// is canceled through a shared-memory cell, because a message cannot reach a busy thread.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { Engine, PromQLError, queryStopped, type CancelSignal } from '@pyrometer/promql';
import { decodeRemoteWrite } from '@pyrometer/remote';
import { AttachedBlocks, DecodeResumes, MemSeriesChunks, type SeriesChunks } from '@pyrometer/tsdb';
import { HeapGuard } from './heap-guard.js';
import { runHttpTask } from './http-task.js';
import { IDLE_SHRINK_MS, IdleHeapShrinker } from './idle-heap.js';
import { LabelCache } from './label-cache.js';
import { batchSharedSelects, evaluateInstantBatch, failureCode } from './instant-batch.js';
import { isLastAnswer, type DecodeWriteTask, type FromWorker, type LastAnswer, type PrefetchedCall, type StorageCall, type Task, type ToWorker, type WorkerConfig } from './protocol.js';
import { ParsedQueryCache } from './parsed-query-cache.js';
import { receiveStorageResult, RemoteQueryable, type ReceivedResult } from './remote-queryable.js';
import { WorkerRemoteRead } from './remote-read.js';
import { ResponseStream, type PostToMain } from './response-stream.js';
import { storageCallKey } from './select-prefetch.js';
import { SeriesPacker } from './series-wire.js';
import { currentThreadId, raiseThreadNiceness, ThreadCpuClock } from './thread-sched.js';
import { valueToWire } from './value-wire.js';
import { WarmUpWhenIdle } from './warm-up.js';
import { codeCacheAccepted, saveWorkerCodeCache } from './worker-code-cache.js';

/** Query texts of API requests a worker keeps parsed (see ParsedQueryCache). */
const API_PARSED_QUERIES = 1024;

const port = parentPort!;
const config = workerData as WorkerConfig;
/**
 * Niced (`config.niceness`, the pool's prompt worker gets 0: the process's priority), so that the
 * ingestion thread (scrapes, appends, health checks) wins the CPU whenever the cores are contended.
 * The pool may nice this thread later by its id (prompt-lane.ts). Elsewhere than Linux, or when
 * not permitted, the worker keeps the process's priority.
 */
const threadId = currentThreadId();
raiseThreadNiceness(threadId, config.niceness);
/** Each task's CPU time goes back with its `done`: the pool predicts the next run of its shape from it. */
const cpuClock = new ThreadCpuClock();
const cancelCell = new Int32Array(config.cancelCell);
const engine = new Engine({ ...config.engine, maxRegexLength: config.limits.maxRegexLength });
const ruleQueries = new ParsedQueryCache(engine);
/** The API's query texts (a dashboard sends the same ones at every refresh), apart from the rules' so they cannot crowd those out. */
const apiQueries = new ParsedQueryCache(engine, API_PARSED_QUERIES);
const parseApiQuery = (text: string) => apiQueries.get(text);
const blocks = new AttachedBlocks(config.blockCacheBytes);
const remoteRead = new WorkerRemoteRead(config.userAgent, config.remoteRead);
/** Labels of head series the main thread sent: later answers carry only their refs. */
const labelCache = new LabelCache();
/** Where the head series' last chunks, read again every rule round, resume decoding; forgotten with the labels. */
const decodeResumes = new DecodeResumes();
/** `gc` is there because spawn-worker sets `--expose-gc` before starting the worker. */
const heapShrinker = new IdleHeapShrinker(IDLE_SHRINK_MS, globalThis.gc);
/** Fails a task that fills its share of the heap before V8's limit can abort the process (heap-guard.ts). */
const heapGuard = new HeapGuard(config.heapShare);

const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
const pendingCalls = new Map<number, { resolve: (r: ReceivedResult) => void; reject: (e: Error) => void }>();
const streams = new Map<number, ResponseStream>();
/** Per task, the storage answers the main thread sends unasked (see select-prefetch.ts). */
const prefetched = new Map<number, Prefetched[]>();
let nextRequest = 1;

const warmUp = new WarmUpWhenIdle(engine, config.warmUp, {
  paused: () => {
    heapShrinker.schedule();
    if (!warmUp.done) return;
    post({ type: 'warm' });
    // The build's worker writes the bundle's code cache here (worker-code-cache.ts); others do nothing.
    saveWorkerCodeCache();
  },
  // A warm-up query never waits for I/O: the messages that came meanwhile are read here, in order.
  readMessages: () => {
    for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) onMessage(m.message as ToWorker);
  },
});

port.on('message', onMessage);

function onMessage(msg: ToWorker): void {
  switch (msg.type) {
    case 'task':
      warmUp.taskArrived();
      if (msg.prefetch !== undefined) prefetched.set(msg.id, msg.prefetch.map(expectPrefetched));
      void runTask(msg.id, msg.task);
      break;
    case 'credit':
      streams.get(msg.id)?.credit();
      break;
    case 'remote-read':
      remoteRead.update(msg.settings);
      break;
    case 'forget-labels':
      labelCache.clear();
      decodeResumes.clear();
      break;
    case 'warm-up':
      warmUp.hold(msg.hold);
      if (heapShrinker.idle) warmUp.idle();
      break;
    case 'storage-reply': {
      const pending = pendingCalls.get(msg.request);
      pendingCalls.delete(msg.request);
      if (!msg.ok) pending?.reject(msg.code === 'canceled' ? canceled() : new PromQLError('storage', msg.message));
      else {
        // Received at once, in arrival order, so the labels it carries are cached before a later answer refers to them.
        let received: ReceivedResult;
        try {
          received = receiveStorageResult(msg.result, labelCache, decodeResumes);
        } catch (err) {
          pending?.reject(new PromQLError('storage', `a storage answer could not be unpacked: ${(err as Error).message}`));
          break;
        }
        pending?.resolve(received);
      }
      break;
    }
  }
}
post({ type: 'ready', ...(threadId === undefined ? {} : { tid: threadId }), codeCache: codeCacheAccepted() });
heapShrinker.schedule();
// A worker started for a task reads it before this wait ends; a prompt worker starts with none and warms up first.
if (warmUp.done) post({ type: 'warm' });
else warmUp.idle();

async function runTask(id: number, task: Task): Promise<void> {
  heapShrinker.taskStarted();
  heapGuard.taskStarted();
  const cpuAtStart = cpuClock.nowMs();
  const run = new TaskRun(id);
  const signal: CancelSignal = run;
  const { answer } = run;
  const shared = task.kind === 'instant-batch' ? batchSharedSelects(engine, ruleQueries, task.queries, task.time) : undefined;
  const local = new RemoteQueryable(run.storageCall, blocks, signal, shared);
  try {
    const queryable = await remoteRead.queryable(local, () => storageCall(id, { call: 'startTime' }, signal));
    switch (task.kind) {
      case 'http': {
        const out = new ResponseStream(id, answer, signal, task.gzip);
        streams.set(id, out);
        await runHttpTask(task, { engine, queryable, limits: config.limits, signal, parse: parseApiQuery }, out);
        break;
      }
      case 'instant': {
        const result = await engine.instantQuery(queryable, task.query, task.time).exec(signal);
        const { wire, transfer } = valueToWire(result.value);
        answer({ type: 'value', id, value: wire, warnings: result.warnings }, transfer);
        break;
      }
      case 'instant-batch': {
        const { values, transfer } = await evaluateInstantBatch(engine, ruleQueries, queryable, task, signal);
        answer({ type: 'values', id, values }, transfer);
        break;
      }
      case 'decode-write':
        answer(...decodeWrite(id, task));
        break;
    }
  } catch (err) {
    // The failure is the task's outcome, whatever it answered before.
    answer({ type: 'failed', id, code: failureCode(err), message: err instanceof Error ? err.message : String(err) }, []);
  } finally {
    streams.delete(id);
    const cpuAtEnd = cpuClock.nowMs();
    const end = run.last ?? { message: { type: 'failed', id, code: 'internal', message: 'the query worker sent no answer' }, transfer: [] };
    end.message.done = { ...unusedPrefetch(id), ...(cpuAtStart === undefined || cpuAtEnd === undefined ? {} : { cpuMs: cpuAtEnd - cpuAtStart }) };
    post(end.message, end.transfer);
    heapShrinker.taskEnded();
    if (heapShrinker.idle) warmUp.idle();
  }
}

/**
 * One task's cancel signal, storage channel and answers to the main thread, as the methods of an
 * object made per task: V8 keeps the optimized code of a closure only as long as the closure
 * lives, so closures made per task were compiled anew after each full collection of the worker
 * (server README, "Closures on a query's path"). The bound methods handed out run shared code.
 */
class TaskRun implements CancelSignal {
  /** The task's last answer, held until the task ends, then posted with its `done` (see FromWorker). */
  last: { message: LastAnswer; transfer: ArrayBuffer[] } | undefined;
  readonly answer: PostToMain = this.keepLast.bind(this);
  readonly storageCall = this.call.bind(this);

  constructor(private readonly id: number) {}

  /** Canceled (the task's id in the shared cancel cell), or over its share of the heap. */
  get aborted(): boolean {
    return Atomics.load(cancelCell, 0) === this.id || heapGuard.exhausted;
  }

  get reason(): PromQLError | undefined {
    return heapGuard.reason;
  }

  fits(bytes: number): boolean {
    return heapGuard.fits(bytes);
  }

  private keepLast(message: FromWorker, transfer: ArrayBuffer[]): void {
    if (isLastAnswer(message)) this.last = { message: message as LastAnswer, transfer };
    else post(message, transfer);
  }

  private call(call: StorageCall): Promise<ReceivedResult> {
    return storageCall(this.id, call, this);
  }
}

/** A storage answer the main thread sends unasked; `answer` is let go once the task takes it (a rule batch's would otherwise live to its end). */
interface Prefetched {
  key: string;
  request: number;
  answer: Promise<ReceivedResult> | undefined;
}

/** Waits for a prefetched answer as for an asked one (its reply is unpacked in arrival order like any other). */
function expectPrefetched({ request, call }: PrefetchedCall): Prefetched {
  const answer = new Promise<ReceivedResult>((resolve, reject) => pendingCalls.set(request, { resolve, reject }));
  // A prefetched call the task never makes may fail unobserved.
  answer.catch(() => {});
  return { key: storageCallKey(call), request, answer };
}

/** Forgets the task's prefetched answers (a late one is still unpacked) and lists the ones it did not take, for the task's `done`. */
function unusedPrefetch(id: number): { unusedPrefetch?: number[] } {
  const list = prefetched.get(id);
  if (list === undefined) return {};
  prefetched.delete(id);
  for (const p of list) pendingCalls.delete(p.request);
  const unused = list.filter((p) => p.answer !== undefined).map((p) => p.request);
  return unused.length === 0 ? {} : { unusedPrefetch: unused };
}

function storageCall(id: number, call: StorageCall, signal: CancelSignal): Promise<ReceivedResult> {
  if (signal.aborted) return Promise.reject(queryStopped(signal.reason, 'query execution'));
  const list = prefetched.get(id);
  if (list !== undefined) {
    const key = storageCallKey(call);
    const waiting = list.find((p) => p.answer !== undefined && p.key === key);
    if (waiting?.answer !== undefined) {
      const answer = waiting.answer;
      waiting.answer = undefined;
      return answer;
    }
  }
  const request = nextRequest++;
  return new Promise((resolve, reject) => {
    pendingCalls.set(request, { resolve, reject });
    post({ type: 'storage', id, request, call });
  });
}

/** Decodes a remote write body and packs its series (samples where chunk readers find loose samples): the answer and its transfer list. */
function decodeWrite(id: number, task: DecodeWriteTask): [FromWorker, ArrayBuffer[]] {
  const decoded = decodeRemoteWrite(new Uint8Array(task.body), { contentType: task.contentType, contentEncoding: task.contentEncoding }, task.maxDecodedBytes);
  if (!decoded.ok) return [{ type: 'decoded', id, result: { ok: false, status: decoded.answer.status, message: decoded.answer.body } }, []];
  const packer = new SeriesPacker();
  for (const s of decoded.request.timeseries) {
    const samples: SeriesChunks['ooo'] = { ts: s.samples.map((x) => x.t), vs: s.samples.map((x) => x.v), stale: s.samples.map((x) => (x.stale ? 1 : 0)) };
    packer.add(0, new MemSeriesChunks(s.labels, [], [], [], [], samples));
  }
  const series = packer.finish();
  const counts = decoded.request.timeseries.map((s) => ({ histograms: s.histograms, exemplars: s.exemplars, duplicateLabel: s.duplicateLabel }));
  return [{ type: 'decoded', id, result: { ok: true, series, counts, metadata: decoded.request.metadata } }, SeriesPacker.transferList(series)];
}

function canceled(): PromQLError {
  return new PromQLError('canceled', 'query was canceled in query execution');
}
