// The messages between the ingestion thread (main) and a query worker. Every message is a plain,
// structured-cloneable object; large payloads travel as transferred ArrayBuffers.
import type { RemoteReadConfig } from '@pyrometer/config';
import type { RemoteMetadata } from '@pyrometer/remote';
import type { BlockFiles } from '@pyrometer/tsdb';
import type { QueryLimits } from '../api/limits.js';
import type { WireMatcher } from './matcher-wire.js';
import type { PackedSeries } from './series-wire.js';
import type { WireValue } from './value-wire.js';

/** The settings every worker starts with (`workerData`). Times in ms. */
export interface WorkerConfig {
  engine: {
    timeout: number;
    maxSamples: number;
    lookbackDelta: number;
    enableDelayedNameRemoval: boolean;
    experimental: { functions: boolean; durationExpr: boolean; extendedRangeSelectors: boolean };
  };
  limits: QueryLimits;
  /** Bytes of block file pages each worker keeps cached. */
  blockCacheBytes: number;
  /** The User-Agent of remote read requests. */
  userAgent: string;
  /** The `remote_read` endpoints queries merge in (replaced by a `remote-read` message on reload). */
  remoteRead: RemoteReadSettings;
  /** Scheduling niceness the worker thread gives itself (0 keeps the process's; it never lowers its niceness), see worker-main. */
  niceness: number;
  /** One Int32 cell: the id of the task the main thread wants canceled. */
  cancelCell: SharedArrayBuffer;
  /** Whether the worker runs synthetic queries at start to get its hot code compiled (see warm-up.ts). */
  warmUp: boolean;
  /** The share of its heap limit a task may fill before it fails (heap-guard.ts); default one half; at 1 a task fails only on an allocation bigger than the rest of the limit, else V8's limit stops its worker. */
  heapShare?: number;
}

/** The `remote_read` entries and the external labels their `filter_external_labels` refers to. */
export interface RemoteReadSettings {
  configs: RemoteReadConfig[];
  externalLabels: Record<string, string>;
}

/** The API endpoints a worker answers (each as the route of the same name under /api/v1, or /federate). */
export type ApiRouteName = 'query' | 'query_range' | 'series' | 'labels' | 'label_values' | 'format_query' | 'parse_query' | 'query_exemplars' | 'federate';

/** An HTTP request for a worker: everything the handler reads, nothing of the socket. */
export interface HttpTask {
  kind: 'http';
  route: ApiRouteName;
  /** The URL's query string, without `?`. */
  search: string;
  /** A urlencoded POST/PUT body, when there was one. */
  body: ArrayBuffer | undefined;
  /** Path parameters (`name` of label values). */
  params: Record<string, string>;
  /** The time the request arrived (ms), the default `time` of instant queries. */
  now: number;
  /** When the query times out (ms since the epoch): the time it waited counts, as upstream's timeout context. */
  deadline: number;
  /** The configuration's external labels (federation adds them). */
  externalLabels: Record<string, string>;
  /** Whether the client accepts gzip: the worker compresses an answer it sends whole. */
  gzip: boolean;
}

/** An instant query for the rule evaluator (the query service): answered with its value. */
export interface InstantTask {
  kind: 'instant';
  query: string;
  time: number;
}

/** The queries of a run of rules for the rule evaluator: evaluated in order at `time`, answered together. */
export interface InstantBatchTask {
  kind: 'instant-batch';
  queries: string[];
  time: number;
}

/** One query's outcome in an instant batch: its value, or why it failed; with its evaluation time (ms). */
export type BatchValue = { ok: true; value: WireValue; warnings: string[]; durationMs: number } | { ok: false; code: TaskFailureCode; message: string; durationMs: number };

/** A remote write body to decompress and decode (answered with the series, or a 4xx answer). */
export interface DecodeWriteTask {
  kind: 'decode-write';
  body: ArrayBuffer;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  /** `--web.max-request-body-bytes`: a body decoding to more is refused (413). */
  maxDecodedBytes: number;
}

export type Task = HttpTask | InstantTask | InstantBatchTask | DecodeWriteTask;

/** main → worker. */
export type ToWorker =
  /** `prefetch`: the storage calls this thread answers unasked (see select-prefetch.ts); their replies carry these request numbers. */
  | { type: 'task'; id: number; task: Task; prefetch?: PrefetchedCall[] }
  | { type: 'credit'; id: number }
  | { type: 'remote-read'; settings: RemoteReadSettings }
  /** Drop the head series' labels received so far (the main thread forgot which it sent). */
  | { type: 'forget-labels' }
  /** `hold`: a task runs on another worker, the warm-up waits (stops at its next check); else it may go on (warm-up-hold.ts). */
  | { type: 'warm-up'; hold: boolean }
  | { type: 'storage-reply'; request: number; ok: true; result: StorageResult }
  | { type: 'storage-reply'; request: number; ok: false; code: 'canceled' | 'storage'; message: string };

/** A storage call the main thread answers for a task before its worker asks (negative request numbers, the worker's own are positive). */
export interface PrefetchedCall {
  request: number;
  call: StorageCall;
}

/** A storage call a worker asks the main thread to make for task `id`. */
export type StorageCall =
  | { call: 'select'; mint: number; maxt: number; matchers: WireMatcher[] }
  | { call: 'labelValues'; mint: number; maxt: number; name: string; matchers: WireMatcher[] | undefined; limit: number }
  | { call: 'labelNames'; mint: number; maxt: number; matchers: WireMatcher[] | undefined; limit: number }
  | { call: 'startTime' };

/**
 * A storage call's answer. A select answers with the head's matching series (packed) and the
 * files of the blocks overlapping its range, lent until the task ends: the worker reads those
 * blocks itself.
 */
export type StorageResult =
  | { kind: 'series'; packed: PackedSeries; blocks: BlockFiles[]; warnings: string[] }
  | { kind: 'strings'; values: string[]; warnings: string[] }
  /** The local storage's oldest sample time (ms; Infinity when it is empty). */
  | { kind: 'time'; ms: number };

/**
 * The start of an HTTP answer; `body` holds the whole body when `complete` (gzip-compressed when
 * `contentEncoding` says so), else its first piece of text (the main thread compresses a stream).
 */
export interface HttpHead {
  status: number;
  contentType: string;
  complete: boolean;
  contentEncoding?: 'gzip';
}

/**
 * What a task's last message reports beside its answer. `unusedPrefetch`: the prefetched calls
 * (request numbers) the task did not ask for. `cpuMs`: the CPU time the worker thread ran for the
 * task (unset where the thread's CPU time is unknown).
 */
export interface TaskDone {
  unusedPrefetch?: number[];
  cpuMs?: number;
}

/**
 * worker → main. Every task ends with exactly one last answer — a `complete` head, a `last`
 * chunk, a value, values, a decoded body or a failure — which carries `done`: the pool settles the
 * task on it (one message, one wake-up of each thread, instead of an answer and a `done`).
 */
export type FromWorker =
  /**
   * `tid`: the worker's thread id (Linux), by which the pool may raise its niceness (prompt-lane.ts);
   * `codeCache`: whether its bundle was compiled with the build's code cache (worker-code-cache.ts).
   */
  | { type: 'ready'; tid?: number; codeCache: boolean }
  /** The worker's warm-up has run through (at once when it is off): the prompt lane may give it tasks (prompt-lane.ts). */
  | { type: 'warm' }
  | { type: 'storage'; id: number; request: number; call: StorageCall }
  | { type: 'head'; id: number; head: HttpHead; body: ArrayBuffer; done?: TaskDone }
  /** A piece of a streamed answer; `last` on the final one (possibly empty). */
  | { type: 'chunk'; id: number; body: ArrayBuffer; last: boolean; done?: TaskDone }
  | { type: 'value'; id: number; value: WireValue; warnings: string[]; done?: TaskDone }
  | { type: 'values'; id: number; values: BatchValue[]; done?: TaskDone }
  | { type: 'decoded'; id: number; result: DecodedWrite; done?: TaskDone }
  | { type: 'failed'; id: number; code: TaskFailureCode; message: string; done?: TaskDone };

/** The messages that end a task (each carries its `done`). */
export type LastAnswer = Extract<FromWorker, { type: 'head' | 'chunk' | 'value' | 'values' | 'decoded' | 'failed' }>;

/** Whether `msg` is the last a task sends: a whole HTTP answer or a streamed one's last chunk, a value, a decoded body or a failure. */
export function isLastAnswer(msg: FromWorker): boolean {
  switch (msg.type) {
    case 'head':
      return msg.head.complete;
    case 'chunk':
      return msg.last;
    case 'value':
    case 'values':
    case 'decoded':
    case 'failed':
      return true;
    default:
      return false;
  }
}

/** Why a task failed without an answer of its own (an HTTP task answers its errors itself). */
export type TaskFailureCode = 'canceled' | 'timeout' | 'bad_data' | 'execution' | 'internal';

/**
 * A decoded remote write request — its series packed (samples where loose samples go), what the
 * receiver counts per series beside them, its metadata — or the answer that refuses it.
 */
export type DecodedWrite =
  | { ok: true; series: PackedSeries; counts: { histograms: number; exemplars: number; duplicateLabel: string | undefined }[]; metadata: RemoteMetadata[] }
  | { ok: false; status: number; message: string };
