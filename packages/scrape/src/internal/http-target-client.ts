import { PassThrough, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { HttpClientConfig } from '@pyrometer/config';
import { HttpClient } from '@pyrometer/http-client';
import type { Dispatcher } from 'undici';
import { ScrapeError } from '../errors.js';
import type { ResponseHead, ResponseSink } from './http1-response.js';
import { PlainHttpClient } from './plain-http-client.js';

/** The result of a successful fetch: the uncompressed body and its Content-Type. */
export interface FetchedBody {
  body: Buffer;
  contentType: string | undefined;
}

/**
 * Bytes a caller lends to its fetches one after the other (a scrape loop to its scrapes): each
 * body is read into them, and they grow to the largest body seen, instead of a new buffer per
 * response. A body read into it is a view of these bytes, valid until the next fetch that is
 * lent the same buffer.
 */
export class BodyBuffer {
  bytes: Buffer = Buffer.alloc(0);

  /** Makes room for `size` bytes, keeping the first `keep`; doubles so that growth copies little. */
  reserve(size: number, keep: number): Buffer {
    if (size > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(size, this.bytes.length * 2));
      this.bytes.copy(grown, 0, 0, keep);
      this.bytes = grown;
    }
    return this.bytes;
  }
}

/** One GET request's settings. */
export interface FetchRequest {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Maximum uncompressed body size in bytes; 0 = unlimited. */
  bodySizeLimit: number;
  /** Accept gzip (decompressed here). */
  gzip: boolean;
  /** Aborts the request early (loop stopped). */
  signal?: AbortSignal;
  /** Where to read the body (see {@link BodyBuffer}); without it, into a buffer of its own. */
  into?: BodyBuffer;
}

/**
 * The GET side of scraping and HTTP SD over one {@link HttpClient} (keep-alive, TLS and auth from
 * the HTTP client config): a non-200 status, a timeout and an oversized body become
 * {@link ScrapeError}s. Plain `http:` URLs go through {@link PlainHttpClient} (the response read
 * from the socket into the body buffer), falling back to the HTTP client to follow a redirect;
 * `https:` through the HTTP client (undici). `close()` ends the pooled connections.
 */
export class HttpTargetClient {
  private readonly plain = new PlainHttpClient();

  private constructor(private readonly client: HttpClient) {}

  /** Creates a client; reads TLS files now (a missing file is an error naming it). */
  static async create(config: HttpClientConfig): Promise<HttpTargetClient> {
    return new HttpTargetClient(await HttpClient.create(config));
  }

  /** GETs `req.url`; any failure becomes a {@link ScrapeError} naming the condition. */
  async fetch(req: FetchRequest): Promise<FetchedBody> {
    const headers: Record<string, string> = { ...req.headers, 'accept-encoding': req.gzip ? 'gzip' : 'identity' };
    const cancel = new RequestCancel(req.timeoutMs, req.signal);
    try {
      if (req.url.startsWith('http:')) {
        const fetched = await this.fetchPlain(req, headers, cancel);
        if (fetched !== undefined) return fetched;
      }
      return await this.fetchUndici(req, headers, cancel);
    } finally {
      cancel.done();
    }
  }

  /** Through {@link PlainHttpClient}; undefined for a redirect to follow (with the HTTP client). */
  private async fetchPlain(req: FetchRequest, headers: Record<string, string>, cancel: RequestCancel): Promise<FetchedBody | undefined> {
    const sink = new BodySink(req.into ?? new BodyBuffer(), req.bodySizeLimit);
    try {
      const head = await this.plain.get(new URL(req.url), await this.client.headersFor(headers), sink, cancel.signal);
      if (head.status !== 200) {
        if (REDIRECTS.has(head.status) && this.client.followsRedirects) return undefined;
        throw statusError(head.status);
      }
      return { body: await sink.finish(), contentType: head.contentType };
    } catch (err) {
      sink.abort(err);
      throw failure(err, cancel, req.timeoutMs);
    }
  }

  private async fetchUndici(req: FetchRequest, headers: Record<string, string>, cancel: RequestCancel): Promise<FetchedBody> {
    let res: Dispatcher.ResponseData<unknown>;
    try {
      res = await this.client.request(req.url, { method: 'GET', headers, signal: cancel.signal });
    } catch (err) {
      throw failure(err, cancel, req.timeoutMs);
    }
    try {
      if (res.statusCode !== 200) throw statusError(res.statusCode);
      const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
      const length = Number(res.headers['content-length'] ?? NaN);
      const body = await readBody(res.body, encoding === 'gzip', req.bodySizeLimit, encoding === '' || encoding === 'identity' ? length : NaN, req.into ?? new BodyBuffer());
      const ct = res.headers['content-type'];
      return { body, contentType: Array.isArray(ct) ? ct[0] : ct };
    } catch (err) {
      // Destroying an unfinished undici body emits an AbortError; nothing reads the body any more.
      res.body.on('error', () => undefined);
      res.body.destroy();
      throw failure(err, cancel, req.timeoutMs);
    }
  }

  /** Ends pooled connections; in-flight requests fail. */
  async close(): Promise<void> {
    this.plain.close();
    await this.client.close();
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * A 200 response's body into a {@link BodyBuffer} as it is read: copied in place, or written
 * through gunzip when gzipped ({@link finish} waits for that). Other responses are not read.
 */
class BodySink implements ResponseSink {
  private size = 0;
  private compressed: PassThrough | undefined;
  private gunzipped: Promise<Buffer> | undefined;
  private gunzipFailure: unknown;

  constructor(
    private readonly into: BodyBuffer,
    private readonly limit: number,
  ) {}

  head(head: ResponseHead): void {
    if (head.status !== 200) return;
    if (head.contentEncoding === 'gzip') {
      this.compressed = new PassThrough();
      // A failure reaches readBody through its pipeline; the stream's own event must not go unhandled.
      this.compressed.on('error', () => undefined);
      this.gunzipped = readBody(this.compressed, true, this.limit, NaN, this.into);
      // Awaited by finish; a failure meanwhile (the limit, bad gzip) ends the response at its next bytes.
      this.gunzipped.catch((err: unknown) => (this.gunzipFailure = err));
      return;
    }
    if (this.limit > 0 && head.contentLength > this.limit) throw bodyTooLarge(this.limit);
    if (head.contentLength > 0) this.into.reserve(head.contentLength, 0);
  }

  body(buf: Buffer, start: number, end: number): void {
    // The socket's read buffer is reused: gunzip gets its own copy.
    if (this.compressed !== undefined) {
      if (this.gunzipFailure !== undefined) throw this.gunzipFailure;
      this.compressed.write(Buffer.from(buf.subarray(start, end)));
      return;
    }
    const n = end - start;
    if (this.limit > 0 && this.size + n > this.limit) throw bodyTooLarge(this.limit);
    buf.copy(this.into.reserve(this.size + n, this.size), this.size, start, end);
    this.size += n;
  }

  /** The whole body, once the response was read. */
  async finish(): Promise<Buffer> {
    if (this.compressed === undefined) return this.into.bytes.subarray(0, this.size);
    this.compressed.end();
    return this.gunzipped!;
  }

  /** The response failed: ends a gunzip under way. */
  abort(err: unknown): void {
    this.compressed?.destroy(err instanceof Error ? err : undefined);
  }
}

async function readBody(stream: AsyncIterable<Buffer> & NodeJS.ReadableStream, gzip: boolean, limit: number, contentLength: number, into: BodyBuffer): Promise<Buffer> {
  if (limit > 0 && contentLength > limit) throw bodyTooLarge(limit);
  const known = Number.isSafeInteger(contentLength) && contentLength > 0;
  // pipeline, not pipe: a body that fails part-way (the scrape timed out) must fail the gunzip
  // too, or this read waits forever and the target is never scraped again.
  const source: AsyncIterable<Buffer> = gzip ? (pipeline(stream, createGunzip(), () => undefined) as unknown as AsyncIterable<Buffer>) : stream;
  // Known size: room for all of it at once, no growth.
  if (known) into.reserve(contentLength, 0);
  let size = 0;
  for await (const chunk of source) {
    if (known && size + chunk.length > contentLength) throw new ScrapeError('network', 'body longer than its Content-Length');
    if (limit > 0 && size + chunk.length > limit) throw bodyTooLarge(limit);
    chunk.copy(into.reserve(size + chunk.length, size), size);
    size += chunk.length;
  }
  return into.bytes.subarray(0, size);
}

function bodyTooLarge(limit: number): ScrapeError {
  return new ScrapeError('body_size_limit', `body size limit exceeded: more than ${limit} bytes`);
}

function statusError(code: number): ScrapeError {
  return new ScrapeError('http_status', `server returned HTTP status ${code} ${statusText(code)}`.trimEnd());
}

/** A failed request as the scrape reports it: its own error, the timeout, or a network error. */
function failure(err: unknown, cancel: RequestCancel, timeoutMs: number): ScrapeError {
  if (err instanceof ScrapeError) return err;
  return cancel.timedOut ? timeoutError(timeoutMs, err) : new ScrapeError('network', (err as Error).message, { cause: err });
}

/**
 * One request's abort signal: fired by its timeout or by the caller's signal, whichever comes
 * first; {@link done} clears the timer and the listener. One controller and one timer that die
 * with the request: `AbortSignal.timeout` + `AbortSignal.any` per scrape left a 1 s timer and a
 * dependant signal registered on the loop's long-lived signal until a garbage collection.
 */
class RequestCancel {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  timedOut = false;

  constructor(
    timeoutMs: number,
    private readonly outer: AbortSignal | undefined,
  ) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    if (outer?.aborted) this.controller.abort(outer.reason);
    else outer?.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  private readonly onOuterAbort = (): void => this.controller.abort(this.outer!.reason);

  /** The request is over (answered or failed). */
  done(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }
}

function timeoutError(ms: number, cause: unknown): ScrapeError {
  return new ScrapeError('timeout', `scrape timed out after ${ms / 1000}s (context deadline exceeded)`, { cause });
}

const STATUS_TEXT: Record<number, string> = { 301: 'Moved Permanently', 302: 'Found', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

function statusText(code: number): string {
  return STATUS_TEXT[code] ?? '';
}
