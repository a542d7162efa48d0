import { connect, type Socket } from 'node:net';
import { Http1Response, type ResponseHead, type ResponseSink } from './http1-response.js';

/**
 * What every connection's socket reads into (`onread`): Node then allocates no buffer per read,
 * and each read is handed to its response before the next read of any socket (one thread).
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** An idle connection is closed after this long (as the undici agent's keep-alive timeout). */
const IDLE_TIMEOUT_MS = 60_000;

/** The pooled connection was closed by the server before answering: the request goes out again on another. */
class StaleConnection extends Error {}

/**
 * GET over plain HTTP/1.1 for scrapes, with keep-alive connections per `host:port`: the request
 * is one write, and the response is read straight from the socket's reads into the caller's
 * {@link ResponseSink} (no stream, no buffer per read). A request on a pooled connection that the
 * server closed before answering is sent again on another one (GET is idempotent; Go's transport
 * does the same). Not for TLS, proxies or redirects: the caller uses its general client for those.
 */
export class PlainHttpClient {
  private readonly idle = new Map<string, PlainConnection[]>();
  private closed = false;

  /**
   * GETs `url` (an `http:` URL) with `headers` (their values free of line breaks), feeding the
   * response to `sink`; resolves with its head once the body was read (for a status other than
   * 200, at the head). Rejects on a connection error, a malformed response, a sink that throws, or
   * when `signal` aborts (with its reason).
   */
  async get(url: URL, headers: Readonly<Record<string, string>>, sink: ResponseSink, signal: AbortSignal): Promise<ResponseHead> {
    const request = requestText(url, headers);
    for (;;) {
      const conn = this.takeIdle(url.host) ?? new PlainConnection(url);
      try {
        const head = await conn.exchange(request, sink, signal);
        if (conn.reusable && !this.closed) this.park(url.host, conn);
        else conn.destroy();
        return head;
      } catch (err) {
        conn.destroy();
        // Only a pooled connection can be stale, so this ends once the pool is empty.
        if (!(err instanceof StaleConnection)) throw err;
      }
    }
  }

  /** Closes the idle connections; those in use close when their response ends. */
  close(): void {
    this.closed = true;
    for (const list of this.idle.values()) for (const conn of list) conn.destroy();
    this.idle.clear();
  }

  /** A pooled connection to `host` that is still open, if any (one ended a moment ago may not have said so yet). */
  private takeIdle(host: string): PlainConnection | undefined {
    const list = this.idle.get(host);
    if (list === undefined) return undefined;
    let conn: PlainConnection | undefined;
    while ((conn = list.pop()) !== undefined && !conn.open) conn.destroy();
    // Hosts come and go with discovery: no empty list is kept for one.
    if (list.length === 0) this.idle.delete(host);
    return conn;
  }

  private park(host: string, conn: PlainConnection): void {
    let list = this.idle.get(host);
    if (list === undefined) this.idle.set(host, (list = []));
    list.push(conn);
    conn.parked(() => {
      const i = list.indexOf(conn);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0 && this.idle.get(host) === list) this.idle.delete(host);
    });
  }
}

/** The request's bytes: request line, Host, then `headers`; a line break in a header is refused. */
function requestText(url: URL, headers: Readonly<Record<string, string>>): string {
  let text = `GET ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\n`;
  for (const name in headers) {
    const value = headers[name]!;
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) throw new Error(`invalid HTTP header ${JSON.stringify(name)}: line breaks are not allowed`);
    text += `${name}: ${value}\r\n`;
  }
  return text + '\r\n';
}

/** The exchange a connection is carrying. */
interface Exchange {
  response: Http1Response;
  head: ResponseHead | undefined;
  /** A byte of the response arrived. */
  received: boolean;
  /** The connection had carried an exchange before (it may have been closed by the server meanwhile). */
  reused: boolean;
  signal: AbortSignal;
  onAbort: () => void;
  resolve: (head: ResponseHead) => void;
  reject: (err: unknown) => void;
}

/** One keep-alive TCP connection carrying one exchange at a time. */
class PlainConnection {
  private readonly socket: Socket;
  private current: Exchange | undefined;
  private used = false;
  private onIdleClose: (() => void) | undefined;
  /** The last response left the connection fit for another request. */
  reusable = false;

  constructor(url: URL) {
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    this.socket = connect({ host, port: Number(url.port || 80), onread: { buffer: READ_BUFFER, callback: (n: number) => this.onRead(n) } });
    this.socket.setNoDelay(true);
    this.socket.on('timeout', () => this.socket.destroy());
    this.socket.on('error', (err) => this.onClose(err));
    this.socket.on('close', () => this.onClose(undefined));
  }

  /** Sends `request` and reads its response into `sink`. */
  exchange(request: string, sink: ResponseSink, signal: AbortSignal): Promise<ResponseHead> {
    if (signal.aborted) return Promise.reject(signal.reason);
    this.onIdleClose = undefined;
    this.socket.setTimeout(0);
    this.socket.ref();
    this.reusable = false;
    const reused = this.used;
    this.used = true;
    return new Promise((resolve, reject) => {
      const x: Exchange = {
        response: new Http1Response({
          head: (head) => {
            x.head = head;
            sink.head(head);
          },
          body: (buf, start, end) => sink.body(buf, start, end),
        }),
        head: undefined,
        received: false,
        reused,
        signal,
        onAbort: () => this.socket.destroy(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason))),
        resolve,
        reject,
      };
      this.current = x;
      signal.addEventListener('abort', x.onAbort, { once: true });
      // A write that fails without an 'error' event (the socket was already destroyed) must still end the exchange.
      this.socket.write(request, (err) => {
        if (err && this.current === x) this.onClose(err);
      });
    });
  }

  /** Idle in a pool: `onClose` runs if it closes meanwhile (the server ended it, or the idle timeout). */
  parked(onClose: () => void): void {
    this.onIdleClose = onClose;
    this.socket.setTimeout(IDLE_TIMEOUT_MS);
    this.socket.unref();
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Neither closed nor ended by either side. */
  get open(): boolean {
    return !this.socket.destroyed && this.socket.writable && !this.socket.readableEnded;
  }

  /** Reads on (true) after each read. */
  private onRead(n: number): boolean {
    const x = this.current;
    if (x === undefined) {
      // Bytes nobody asked for: the connection is out of step with the server.
      this.socket.destroy();
      return true;
    }
    x.received = true;
    try {
      if (x.response.feed(READ_BUFFER, 0, n)) this.finish(undefined);
    } catch (err) {
      this.finish(err);
    }
    return true;
  }

  private onClose(err: Error | undefined): void {
    const x = this.current;
    if (x === undefined) {
      this.onIdleClose?.();
      this.onIdleClose = undefined;
      return;
    }
    if (err === undefined && x.response.endOfStream()) this.finish(undefined);
    else if (!x.received && x.reused && !x.signal.aborted) this.finish(new StaleConnection('pooled connection closed'));
    else this.finish(err ?? new Error('connection closed before the response ended'));
  }

  private finish(err: unknown): void {
    const x = this.current!;
    this.current = undefined;
    x.signal.removeEventListener('abort', x.onAbort);
    if (err !== undefined) {
      this.socket.destroy();
      x.reject(err);
      return;
    }
    const head = x.head!;
    this.reusable = head.keepAlive && head.status === 200 && !x.response.extraBytes;
    x.resolve(head);
  }
}
