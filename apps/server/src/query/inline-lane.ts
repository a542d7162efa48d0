import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { JsonBytes } from '@pyrometer/http-api';
import { Engine, type CancelSignal } from '@pyrometer/promql';
import type { Querier, Queryable } from '@pyrometer/storage';
import type { BlockLease } from '@pyrometer/tsdb';
import type { Logger, MetricsRegistry } from '@pyrometer/telemetry';
import type { QueryLimits } from '../api/limits.js';
import { GZIP_MIN_BYTES, GZIP_OPTIONS, sendEncoded } from '../web/response.js';
import { BusyClock } from './busy-clock.js';
import { runHttpTask, type AnswerSink } from './http-task.js';
import { ParsedQueryCache } from './parsed-query-cache.js';
import type { HttpTask, RemoteReadSettings, WorkerConfig } from './protocol.js';

/** The bounds of the inline lane (see {@link InlineLane}). */
export interface InlineLaneOptions {
  /** A shape whose last inline run kept the ingestion thread busy at most this long (ms) is inlined again. */
  tinyMs: number;
  /**
   * A shape not yet run inline is tried once its last pooled answer took at most this long (wall
   * ms, from the route: the hops, the worker's wake-up and its run, an upper bound of its CPU).
   */
  pooledWallMs: number;
  /** How long (busy ms of the ingestion thread) an inline run may take before it is abandoned and its task handed to the pool. */
  deadlineMs: number;
  /** The token bucket's size: busy ms the ingestion thread may spend on inline runs in a burst. */
  burstMs: number;
  /** The bucket's refill: busy ms of inline runs per second of wall time, in the long run. */
  perSecondMs: number;
  /** Longest shape (the query's parameters without times) inlined: bounds parsing, and the regexes compiled, on this thread. */
  maxShapeLength: number;
  /**
   * A shape whose inline runs overran this many times is never inlined again (until forgotten).
   * After an overrun it waits for a tiny pooled answer. A shape's first inline run is often one:
   * its code paths run cold on this thread (6–26 ms for the bench's small queries, then 1–2).
   */
  overruns: number;
  /** Most shapes whose cost is remembered (the least recently run ones are forgotten). */
  shapes: number;
}

/**
 * The server's bounds. 3 busy-ms: the bench's small jobmanager queries keep this thread busy
 * 0.7–1.3 CPU-ms inline (median; 2.5 at the 90th percentile, a garbage collection now and then
 * more). 15 wall-ms of a pooled answer: such queries answer in 2–6 ms pooled, and up to ~3× that
 * on a busy machine. An 8 ms deadline: an inline run delays a scrape or a health check by at most
 * that (plus a clock read's worth of the engine's checks), a few % of the 0.1–0.6 s health p99
 * measured under query load. 100 ms per second (a tenth of the thread, the bucket holding as much):
 * a burst of back-to-back tiny queries goes inline for about a tenth of a second, then mostly pooled.
 */
export const INLINE_LANE: InlineLaneOptions = { tinyMs: 3, pooledWallMs: 15, deadlineMs: 8, burstMs: 100, perSecondMs: 100, maxShapeLength: 2048, overruns: 3, shapes: 4096 };

/** The bytes an inline run may allocate at once (label_replace's values); past it the run goes to the pool, whose workers have a heap guard. */
const MAX_ALLOCATION_BYTES = 1024 * 1024;
/** An answer at least this long would be streamed by a worker (response-stream.ts): the pool answers it, so the bytes on the wire are the same. */
const WHOLE_BYTES = 256 * 1024;
/** How many of the engine's cancel checks go by between two reads of the busy clock (~1 µs each). */
const CLOCK_EVERY = 64;
/** Query texts the lane keeps parsed. */
const PARSED_QUERIES = 256;
/** What the lane knows of a shape: its last run's cost (busy ms inline, wall ms pooled) and its inline runs that overran. */
interface ShapeRecord {
  costMs: number;
  inline: boolean;
  overruns: number;
}

/** The main thread's storage: the TSDB's queriers, and which blocks a time range reads. */
export interface InlineStorage extends Queryable {
  leaseBlocks(mint: number, maxt: number): BlockLease;
}

/** What the lane needs of the server: the main thread's storage, and the workers' engine options and limits. */
export interface InlineLaneDeps {
  /** Only the head is read inline: a query that would read a block goes to the workers, which read block files themselves. */
  storage: InlineStorage;
  engine: WorkerConfig['engine'];
  limits: QueryLimits;
  /** `remote_read` endpoints: while any is configured, nothing is inlined (the workers query them). */
  remoteRead: RemoteReadSettings;
  logger: Logger;
  registry?: MetricsRegistry;
}

/**
 * Answers a predicted-tiny `query` / `query_range` on the ingestion thread itself, with the engine
 * and handlers a worker runs (`runHttpTask`), so it pays none of the pooled path's thread hops.
 * Bounded so that scrapes and health checks stay on time (issue 12):
 *
 * - only a shape whose last run was tiny ({@link InlineLaneOptions.tinyMs} inline, or
 *   {@link InlineLaneOptions.pooledWallMs} pooled), never a shape not seen yet (this thread's
 *   engine would run its code cold), and one at a time;
 * - only while the pool runs and queues no task (under query load everything runs pooled);
 * - under a token bucket of the thread's busy time, and a per-run deadline: a run past it is
 *   abandoned before anything is written and handed to the pool, and a shape that overran
 *   {@link InlineLaneOptions.overruns} times is not inlined again.
 *
 * The time counted is the thread's busy time: the waits for the storage's promises (block reads)
 * are left out of both the deadline and the bucket.
 */
export class InlineLane {
  /** By shape, least recently run first. */
  private readonly shapes = new Map<string, ShapeRecord>();
  private readonly engine: Engine;
  private readonly parsed: ParsedQueryCache;
  private tokens: number;
  private refilledAt = performance.now();
  private running = false;
  private remoteReadConfigured: boolean;
  private readonly answers;
  private readonly fallbacks;

  constructor(
    private readonly deps: InlineLaneDeps,
    private readonly options: InlineLaneOptions = INLINE_LANE,
  ) {
    this.engine = new Engine({ ...deps.engine, maxRegexLength: deps.limits.maxRegexLength });
    this.parsed = new ParsedQueryCache(this.engine, PARSED_QUERIES);
    this.tokens = options.burstMs;
    this.remoteReadConfigured = deps.remoteRead.configs.length > 0;
    this.answers = deps.registry?.counter({ name: 'pyrometer_query_inline_answers_total', help: 'Queries answered on the ingestion thread (the inline lane): predicted tiny while no query worker task ran.' });
    this.fallbacks = deps.registry?.counter({ name: 'pyrometer_query_inline_fallbacks_total', help: 'Inline queries abandoned past their deadline (or too large to answer whole) and handed to the query workers.' });
    this.answers?.inc(0);
    this.fallbacks?.inc(0);
  }

  /** New `remote_read` endpoints (a reload). */
  setRemoteRead(settings: RemoteReadSettings): void {
    this.remoteReadConfigured = settings.configs.length > 0;
  }

  /** Whether `task`, of `shape`, runs inline now, given the tasks the pool runs or queues (`poolTasks`). */
  admits(task: HttpTask, shape: string, poolTasks: number): boolean {
    if (poolTasks > 0 || this.running || this.remoteReadConfigured) return false;
    if ((task.route !== 'query' && task.route !== 'query_range') || shape.length > this.options.maxShapeLength) return false;
    const known = this.shapes.get(shape);
    if (known === undefined || known.overruns >= this.options.overruns) return false;
    if (known.costMs > (known.inline ? this.options.tinyMs : this.options.pooledWallMs)) return false;
    return this.refill() >= this.options.deadlineMs;
  }

  /** A pooled answer of `shape` took `wallMs`. */
  recordPooled(shape: string, wallMs: number): void {
    this.record(shape, wallMs, false, this.shapes.get(shape)?.overruns ?? 0);
  }

  /**
   * Runs `task` (admitted by {@link admits}) here and writes its answer to `res`; false when it was
   * abandoned (past its deadline, too large to answer whole, or failed unexpectedly) with nothing
   * written: the caller then hands it to the pool. `clientSignal` is the route's: the client
   * closed the connection, or the backstop timer fired.
   */
  async answer(task: HttpTask, shape: string, req: IncomingMessage, res: ServerResponse, clientSignal: AbortSignal): Promise<boolean> {
    this.running = true;
    const clock = new BusyClock();
    const deadline = new InlineDeadline(clock, this.options.deadlineMs, clientSignal);
    const sink = new WholeAnswer(task.gzip);
    let completed = false;
    let busy = 0;
    try {
      const env = { engine: this.engine, queryable: headQueryable(this.deps.storage, clock, deadline), limits: this.deps.limits, signal: deadline, parse: (text: string) => this.parsed.get(text) };
      await runHttpTask(task, env, sink);
      completed = sink.answer !== undefined && !deadline.overran;
    } catch {
      completed = false;
    } finally {
      this.running = false;
      busy = clock.busyMs();
      this.tokens = this.refill() - busy;
      const overruns = this.shapes.get(shape)?.overruns ?? 0;
      // After an overrun, the shape waits for a tiny pooled answer.
      if (completed) this.record(shape, busy, true, overruns);
      else this.record(shape, Number.POSITIVE_INFINITY, false, overruns + 1);
    }
    if (!completed) {
      this.fallbacks?.inc();
      this.deps.logger.debug('An inline query was handed to the query workers', { busyMs: Number(busy.toFixed(2)), overruns: this.shapes.get(shape)?.overruns, query: shape.slice(0, 200) });
      return false;
    }
    const answer = sink.answer!;
    if (clientSignal.aborted) throw clientSignal.reason;
    this.answers?.inc();
    sendEncoded(req, res, answer.status, answer.contentType, answer.body, answer.contentEncoding);
    return true;
  }

  /** The bucket's tokens now (busy ms), refilled at `perSecondMs` per second up to `burstMs`. */
  private refill(): number {
    const now = performance.now();
    this.tokens = Math.min(this.options.burstMs, this.tokens + ((now - this.refilledAt) * this.options.perSecondMs) / 1000);
    this.refilledAt = now;
    return this.tokens;
  }

  private record(shape: string, costMs: number, inline: boolean, overruns: number): void {
    this.shapes.delete(shape);
    this.shapes.set(shape, { costMs, inline, overruns });
    if (this.shapes.size > this.options.shapes) this.shapes.delete(this.shapes.keys().next().value!);
  }
}

/**
 * The engine's cancel signal for an inline run: aborted when the client's signal is (its reason,
 * an ApiError, answers 499/503 as in the pooled path), or once the run has kept the thread busy
 * past its deadline, or asked for a large allocation (then `overran`: the run is handed to the pool).
 */
class InlineDeadline implements CancelSignal {
  overran = false;
  private polls = 0;

  constructor(
    private readonly clock: BusyClock,
    private readonly deadlineMs: number,
    private readonly client: AbortSignal,
  ) {}

  get aborted(): boolean {
    // The engine asks per series and step; the clock is a system call, read every CLOCK_EVERY asks.
    if (!this.overran && this.polls++ % CLOCK_EVERY === 0 && this.clock.busyMs() > this.deadlineMs) this.overran = true;
    return this.overran || this.client.aborted;
  }

  /** Gives up the run (it would read what is not inlined): the engine stops at its next check. */
  abandon(): void {
    this.overran = true;
  }

  get reason(): unknown {
    return this.client.aborted ? this.client.reason : undefined;
  }

  fits(bytes: number): boolean {
    if (bytes > MAX_ALLOCATION_BYTES) this.overran = true;
    return !this.overran;
  }
}

/** One answer gathered whole, as a worker sends an answer under {@link WHOLE_BYTES}: gzip-compressed when the client accepts it and it is worth it. */
class WholeAnswer implements AnswerSink {
  answer: { status: number; contentType: string; body: Uint8Array; contentEncoding: 'gzip' | undefined } | undefined;

  constructor(private readonly gzip: boolean) {}

  send(status: number, contentType: string, pieces: Iterable<string | Uint8Array>): Promise<void> {
    const out = new JsonBytes(16 * 1024);
    for (const piece of pieces) {
      if (typeof piece === 'string') out.text(piece);
      else out.bytes(piece);
      // A worker would stream it (chunked, another framing): the pool answers it instead.
      if (out.length >= WHOLE_BYTES) return Promise.resolve();
    }
    const packed = this.gzip && out.length >= GZIP_MIN_BYTES;
    this.answer = { status, contentType, body: packed ? gzipSync(out.view(), GZIP_OPTIONS) : out.view(), contentEncoding: packed ? 'gzip' : undefined };
    return Promise.resolve();
  }
}

/**
 * `storage`'s queriers, with the waits for their promises left out of `clock`'s busy time. A time
 * range that reaches into a block abandons the run (`deadline`): block reads on this thread cost
 * more than on a worker (the bench's 6 h range overran the deadline 19 times in 47 inline runs).
 */
function headQueryable(storage: InlineStorage, clock: BusyClock, deadline: InlineDeadline): Queryable {
  return {
    querier: async (mint, maxt) => {
      const lease = storage.leaseBlocks(mint, maxt);
      const readsBlocks = lease.files.length > 0;
      lease.release();
      if (readsBlocks) {
        deadline.abandon();
        throw new Error('the inline lane reads only the head');
      }
      const q = await clock.wait(storage.querier(mint, maxt));
      const busyQuerier: Querier = {
        mint: q.mint,
        maxt: q.maxt,
        select: (matchers, options) => clock.wait(q.select(matchers, options)),
        labelValues: (name, matchers, options) => clock.wait(q.labelValues(name, matchers, options)),
        labelNames: (matchers, options) => clock.wait(q.labelNames(matchers, options)),
        close: () => clock.wait(q.close()),
      };
      return busyQuerier;
    },
  };
}
