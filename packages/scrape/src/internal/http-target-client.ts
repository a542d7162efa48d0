import { readFile } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { HttpClientConfig } from '@pyrometer/config';
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { ScrapeError } from '../errors.js';

/** The result of a successful fetch: the uncompressed body and its Content-Type. */
export interface FetchedBody {
  body: Buffer;
  contentType: string | undefined;
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
}

/**
 * An HTTP client for one scrape pool or SD source: one undici Agent with keep-alive, TLS and auth
 * from the HTTP client config. Credentials files are read on every request so rotated secrets
 * are picked up. `close()` ends the pooled connections.
 */
export class HttpTargetClient {
  private readonly dispatcher: Dispatcher;

  private constructor(private readonly config: HttpClientConfig, private readonly agent: Agent) {
    this.dispatcher = config.followRedirects ? agent.compose(interceptors.redirect({ maxRedirections: 10 })) : agent;
  }

  /** Creates a client; reads TLS files now (a missing file is an error naming it). */
  static async create(config: HttpClientConfig): Promise<HttpTargetClient> {
    const t = config.tls;
    const ca = t.ca || (t.caFile ? await readFile(t.caFile, 'utf8') : undefined);
    const cert = t.cert || (t.certFile ? await readFile(t.certFile, 'utf8') : undefined);
    const key = t.key || (t.keyFile ? await readFile(t.keyFile, 'utf8') : undefined);
    const connect: Record<string, unknown> = { rejectUnauthorized: !t.insecureSkipVerify };
    if (ca) connect['ca'] = ca;
    if (cert) connect['cert'] = cert;
    if (key) connect['key'] = key;
    if (t.serverName) connect['servername'] = t.serverName;
    if (t.minVersion) connect['minVersion'] = tlsVersion(t.minVersion);
    if (t.maxVersion) connect['maxVersion'] = tlsVersion(t.maxVersion);
    const agent = new Agent({ connect, keepAliveTimeout: 60_000, allowH2: false });
    return new HttpTargetClient(config, agent);
  }

  /** GETs `req.url`; any failure becomes a {@link ScrapeError} naming the condition. */
  async fetch(req: FetchRequest): Promise<FetchedBody> {
    const headers: Record<string, string> = { ...(await this.authHeaders()), ...req.headers };
    for (const [name, values] of Object.entries(this.config.httpHeaders)) if (values.length > 0) headers[name] = values.join(', ');
    headers['accept-encoding'] = req.gzip ? 'gzip' : 'identity';
    const timeout = AbortSignal.timeout(req.timeoutMs);
    const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
    let res: Dispatcher.ResponseData<unknown>;
    try {
      res = await request(req.url, { method: 'GET', headers, dispatcher: this.dispatcher, signal });
    } catch (err) {
      throw timeout.aborted ? timeoutError(req.timeoutMs, err) : new ScrapeError('network', (err as Error).message, { cause: err });
    }
    try {
      if (res.statusCode !== 200) {
        throw new ScrapeError('http_status', `server returned HTTP status ${res.statusCode} ${statusText(res.statusCode)}`.trimEnd());
      }
      const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
      const length = Number(res.headers['content-length'] ?? NaN);
      const body = await readBody(res.body, encoding === 'gzip', req.bodySizeLimit, encoding === '' || encoding === 'identity' ? length : NaN);
      const ct = res.headers['content-type'];
      return { body, contentType: Array.isArray(ct) ? ct[0] : ct };
    } catch (err) {
      // Destroying an unfinished undici body emits an AbortError; nothing reads the body any more.
      res.body.on('error', () => undefined);
      res.body.destroy();
      if (err instanceof ScrapeError) throw err;
      throw timeout.aborted ? timeoutError(req.timeoutMs, err) : new ScrapeError('network', (err as Error).message, { cause: err });
    }
  }

  /** Ends pooled connections; in-flight requests fail. */
  async close(): Promise<void> {
    await this.agent.close();
  }

  private async authHeaders(): Promise<Record<string, string>> {
    const { basicAuth, authorization } = this.config;
    if (basicAuth) {
      const user = basicAuth.usernameFile ? (await readFile(basicAuth.usernameFile, 'utf8')).trim() : basicAuth.username;
      const pass = basicAuth.passwordFile ? (await readFile(basicAuth.passwordFile, 'utf8')).trim() : basicAuth.password;
      return { authorization: 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64') };
    }
    if (authorization) {
      const cred = authorization.credentialsFile ? (await readFile(authorization.credentialsFile, 'utf8')).trim() : authorization.credentials;
      return { authorization: `${authorization.type} ${cred}` };
    }
    return {};
  }
}

async function readBody(stream: AsyncIterable<Buffer> & NodeJS.ReadableStream, gzip: boolean, limit: number, contentLength: number): Promise<Buffer> {
  if (limit > 0 && contentLength > limit) throw new ScrapeError('body_size_limit', `body size limit exceeded: more than ${limit} bytes`);
  if (Number.isSafeInteger(contentLength) && contentLength > 0) {
    // Known size: one allocation, no concatenation.
    const out = Buffer.allocUnsafe(contentLength);
    let at = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (at + chunk.length > contentLength) throw new ScrapeError('network', 'body longer than its Content-Length');
      chunk.copy(out, at);
      at += chunk.length;
    }
    return at === contentLength ? out : out.subarray(0, at);
  }
  const source: AsyncIterable<Buffer> = gzip ? (stream.pipe(createGunzip()) as unknown as AsyncIterable<Buffer>) : stream;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (limit > 0 && size > limit) throw new ScrapeError('body_size_limit', `body size limit exceeded: more than ${limit} bytes`);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

function timeoutError(ms: number, cause: unknown): ScrapeError {
  return new ScrapeError('timeout', `scrape timed out after ${ms / 1000}s (context deadline exceeded)`, { cause });
}

function tlsVersion(v: string): string {
  return { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' }[v] ?? v;
}

const STATUS_TEXT: Record<number, string> = { 301: 'Moved Permanently', 302: 'Found', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

function statusText(code: number): string {
  return STATUS_TEXT[code] ?? '';
}
