import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';
import { ApiError, ErrorType, parseDurationParam } from '@pyrometer/http-api';
import { errorAnswer, JSON_TYPE } from '../api/respond.js';
import type { ConcurrencyLimit } from '../web/http-metrics.js';
import { readFormBody } from '../web/request.js';
import { acceptsGzip, GZIP_OPTIONS, send, sendEncoded } from '../web/response.js';
import type { RouteHandler } from '../web/router.js';
import type { ApiRouteName } from './protocol.js';
import type { TaskMessage } from './query-pool-options.js';
import type { QueryPool } from './query-pool.js';
import type { SelectPrefetch } from './select-prefetch.js';

/** What the pooled API routes need on the ingestion thread. */
export interface PooledRouteDeps {
  pool: QueryPool;
  /** `--query.max-concurrency`: queries (`query`, `query_range`) admitted at once; the rest wait. */
  limit: ConcurrencyLimit;
  /** `--query.timeout` (ms): the backstop after which a query is stopped from here, whatever its worker does. */
  timeout: number;
  externalLabels: () => Readonly<Record<string, string>>;
  now: () => number;
  /** Predicts a repeated query's selects, answered as its task is posted (unset: the worker asks for each). */
  prefetch?: SelectPrefetch;
}

const ADMITTED: ReadonlySet<ApiRouteName> = new Set(['query', 'query_range']);
/**
 * How much later than the engine's own deadline the backstop fires: a cooperative evaluation
 * answers its timeout itself; the backstop is for work that does not poll (a long collection pause,
 * parsing). Both answer upstream's wording for a timeout.
 */
const BACKSTOP_MARGIN_MS = 25;
const TIMEOUT_MESSAGE = 'query timed out in expression evaluation';

/**
 * A route answered by a query worker: the request's query string and form body go to the pool
 * untouched (the worker parses them), and the answer streams back chunk by chunk, gzip-compressed
 * when the client accepts it. The client closing the connection cancels the task, and so does the
 * timeout (the request's `timeout` parameter in the URL, capped by `--query.timeout`), answering
 * upstream's 499 / 503.
 */
export function pooledRoute(deps: PooledRouteDeps, route: ApiRouteName): RouteHandler {
  return async ({ req, res, url, params }) => {
    let body: Buffer | undefined;
    try {
      body = await readFormBody(req);
    } catch (err) {
      const answer = errorAnswer(err);
      return send(req, res, answer.status, JSON_TYPE, answer.body);
    }
    const abort = new AbortController();
    const onClose = (): void => {
      if (!res.writableFinished) abort.abort(new ApiError(ErrorType.Canceled, 'query was canceled: the client closed the connection'));
    };
    res.once('close', onClose);
    const timeout = timeoutOf(url, deps.timeout);
    const timer = setTimeout(() => abort.abort(new ApiError(ErrorType.Timeout, TIMEOUT_MESSAGE)), timeout + BACKSTOP_MARGIN_MS);
    const writer = new AnswerWriter(req, res);
    const task = {
      kind: 'http' as const,
      route,
      search: url.search,
      body: body === undefined ? undefined : (body.buffer.slice(body.byteOffset, body.byteOffset + body.length) as ArrayBuffer),
      params,
      now: deps.now(),
      deadline: Date.now() + timeout,
      externalLabels: { ...deps.externalLabels() },
      gzip: acceptsGzip(req),
    };
    // Planned before the body is transferred to the worker.
    const prefetch = deps.prefetch?.plan(task);
    const run = () => deps.pool.run(task, (msg) => writer.write(msg), { signal: abort.signal, ...(prefetch === undefined ? {} : { prefetch }), ...(task.body === undefined ? {} : { transfer: [task.body] }) });
    try {
      await (ADMITTED.has(route) ? deps.limit.run(run) : run());
      writer.end();
    } catch (err) {
      writer.fail(err);
    } finally {
      clearTimeout(timer);
      res.off('close', onClose);
    }
  };
}

/** The request's `timeout` URL parameter when it is shorter than the server's, else the server's. */
function timeoutOf(url: URL, serverTimeout: number): number {
  const param = url.searchParams.get('timeout');
  if (param === null || param === '') return serverTimeout;
  try {
    return Math.min(serverTimeout, parseDurationParam(param));
  } catch {
    return serverTimeout; // the worker answers the bad parameter
  }
}

/** Writes a worker's answer to the response: whole (with a length) or streamed (chunked). */
class AnswerWriter {
  private stream: NodeJS.WritableStream | undefined;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {}

  write(msg: TaskMessage): void | Promise<void> {
    if (msg.type === 'head') {
      if (msg.head.complete) return sendEncoded(this.req, this.res, msg.head.status, msg.head.contentType, new Uint8Array(msg.body), msg.head.contentEncoding);
      const headers: Record<string, string> = { 'Content-Type': msg.head.contentType, Vary: 'Accept-Encoding' };
      const gzip = acceptsGzip(this.req);
      if (gzip) headers['Content-Encoding'] = 'gzip';
      this.res.writeHead(msg.head.status, headers);
      if (gzip) {
        const z = createGzip(GZIP_OPTIONS);
        z.pipe(this.res);
        this.stream = z;
      } else this.stream = this.res;
      return this.chunk(msg.body);
    }
    if (msg.type === 'chunk') return this.chunk(msg.body);
  }

  end(): void {
    if (this.stream !== undefined) this.stream.end();
    else if (!this.res.headersSent) this.fail(new ApiError(ErrorType.Internal, 'the query worker sent no answer'));
  }

  fail(err: unknown): void {
    if (this.res.headersSent) {
      this.res.destroy();
      return;
    }
    const answer = errorAnswer(err);
    send(this.req, this.res, answer.status, JSON_TYPE, answer.body);
  }

  private chunk(body: ArrayBuffer): Promise<void> {
    const stream = this.stream!;
    if (this.req.method === 'HEAD' || this.res.destroyed) return Promise.resolve();
    return new Promise((resolve) => stream.write(Buffer.from(body), () => resolve()));
  }
}
