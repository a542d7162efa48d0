import { createServer as createHttp, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import { createServer as createHttps, type ServerOptions as TlsServerOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Logger } from '@pyrometer/telemetry';
import { parseRequestTarget, type RequestTarget } from './request-target.js';

/**
 * The largest request line plus headers, as Go's http.Server: DefaultMaxHeaderBytes (1 MiB) plus
 * the 4 KiB its reader allows beyond it. Long `match[]` and `query` GETs from Grafana need it;
 * Node's own default (16 KiB) answers 431 to them.
 */
export const MAX_HEADER_BYTES = 2 ** 20 + 4096;
/**
 * How long (ms) an idle keep-alive connection stays open: Prometheus's (its read timeout, 5 minutes,
 * which Go uses for the idle timeout Prometheus leaves unset). Node's default of 5 s closed
 * connections that clients still held: a remote-write sender whose other server kept it waiting
 * over 5 s sent its next request as the socket closed and got ECONNRESET, and Go's clients
 * (Grafana keeps idle connections 90 s) do not retry a POST that was written when the reset comes.
 */
const IDLE_CONNECTION_MS = 5 * 60_000;

/** A request listener that receives the request's decoded, clean target. */
export type TargetListener = (req: IncomingMessage, res: ServerResponse, target: RequestTarget) => void | Promise<void>;

/** Options of {@link createHttpServer}. */
export interface HttpServerOptions {
  /** Where handler failures are logged (a failure is answered 500 and never ends the process). */
  logger: Logger;
  /** TLS settings; when present the server speaks HTTPS. */
  tls?: TlsServerOptions;
  /**
   * Checks a request before it is redirected or routed (exporter-toolkit's basic auth sits there
   * upstream): returns false after answering it (e.g. 401). Malformed requests are refused before.
   */
  authorize?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/**
 * An HTTP(S) server that no request can take down, answering what node:http would answer
 * silently (or not at all) the way Go's net/http does, with a message: malformed request lines
 * and headers 400, oversized ones 431 (limit {@link MAX_HEADER_BYTES}), a missing Host header 400,
 * an unknown `Expect` 417, CONNECT 405, a malformed `%` escape in the path 400, an unclean path
 * (`//`, `/./`, `/../`) a 301 to its clean form (after `authorize`), `OPTIONS *` 200. Idle
 * keep-alive connections stay open {@link IDLE_CONNECTION_MS}, as Prometheus's do. The
 * listener gets the decoded target; a listener that throws or rejects is logged and answered 500 (or its connection closed
 * when the answer had started), never an uncaught exception.
 */
export function createHttpServer(listener: TargetListener, options: HttpServerOptions): Server {
  const serverOptions: ServerOptions = { maxHeaderSize: MAX_HEADER_BYTES, requireHostHeader: false };
  const handle = (req: IncomingMessage, res: ServerResponse) => dispatch(req, res, listener, options);
  const server: Server = options.tls === undefined ? createHttp(serverOptions, handle) : createHttps({ ...options.tls, ...serverOptions }, handle);
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => refuseConnection(socket, clientErrorAnswer(err)));
  server.on('connect', (req: IncomingMessage, socket: Duplex) => refuseConnection(socket, [405, `CONNECT is not supported (requested ${JSON.stringify(req.url)})`]));
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => sendPlain(res, 417, `Expectation Failed: unsupported Expect header ${JSON.stringify(req.headers.expect)}`));
  return server;
}

function dispatch(req: IncomingMessage, res: ServerResponse, listener: TargetListener, options: HttpServerOptions): void {
  if (req.headers.host === undefined && req.httpVersionMajor === 1 && req.httpVersionMinor === 1) return sendPlain(res, 400, 'Bad Request: missing required Host header');
  const raw = req.url ?? '/';
  if (raw === '*') return req.method === 'OPTIONS' ? sendPlain(res, 200, '') : sendPlain(res, 400, 'Bad Request: request target "*" is only allowed with OPTIONS');
  const outcome = parseRequestTarget(raw);
  if ('error' in outcome) return sendPlain(res, 400, `Bad Request: ${outcome.error}`);
  if (options.authorize !== undefined && !options.authorize(req, res)) return;
  if ('redirect' in outcome) return redirect(req, res, outcome.redirect);
  const fail = (err: unknown) => {
    options.logger.error('request handler failed', { method: req.method, path: outcome.target.path, err: err instanceof Error ? err : String(err) });
    if (res.headersSent) res.destroy();
    else sendPlain(res, 500, `internal error: ${err instanceof Error ? err.message : String(err)}`);
  };
  try {
    const pending = listener(req, res, outcome.target);
    if (pending !== undefined) pending.catch(fail);
  } catch (err) {
    fail(err);
  }
}

/** A 301 as Go's http.Redirect writes it: an HTML link for GET and HEAD, no body otherwise. */
function redirect(req: IncomingMessage, res: ServerResponse, location: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(301, { Location: location, 'Content-Length': '0' });
    res.end();
    return;
  }
  const body = `<a href="${location.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;')}">Moved Permanently</a>.\n\n`;
  res.writeHead(301, { Location: location, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function sendPlain(res: ServerResponse, status: number, message: string): void {
  const body = message === '' ? '' : `${message}\n`;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

const STATUS_TEXT: Readonly<Record<number, string>> = { 400: 'Bad Request', 405: 'Method Not Allowed', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/** The answer for a request node:http could not parse: status and message. */
function clientErrorAnswer(err: NodeJS.ErrnoException & { reason?: string }): [number, string] | undefined {
  switch (err.code) {
    case 'ECONNRESET':
      return undefined;
    case 'HPE_HEADER_OVERFLOW':
      return [431, `the request line and headers exceed ${MAX_HEADER_BYTES} bytes`];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'HPE_HEADERS_TIMEOUT':
      return [408, 'the request did not arrive in time'];
    default:
      return [400, `malformed HTTP request (${err.reason ?? err.message})`];
  }
}

function refuseConnection(socket: Duplex, answer: [number, string] | undefined): void {
  if (answer === undefined || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, message] = answer;
  const body = `${status} ${STATUS_TEXT[status]}: ${message}\n`;
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
