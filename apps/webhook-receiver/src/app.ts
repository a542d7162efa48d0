import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FlagError } from '@pyrometer/cli';
import { createHttpServer, HttpError, readBody, type HttpRoute, type RequestTarget } from '@pyrometer/http-server';
import { createLogger, type Logger } from '@pyrometer/telemetry';
import { WebhookReceiverError } from './errors.js';
import type { WebhookReceiverFlags } from './flags.js';
import { Inbox, type ReceivedNotification } from './inbox.js';
import { renderPage } from './page.js';
import { parseWebhookPayload } from './payload.js';
import { notificationLines } from './text.js';

/** This build's version, printed by `--version`. */
export const VERSION = '0.1.0';

/** The largest notification accepted (Alertmanager sends every alert of a group in one body). */
const MAX_BODY_BYTES = 16 * 2 ** 20;

/** Every route, as the fuzz test enumerates them: POST to any path is a notification. */
export const ROUTES: readonly HttpRoute[] = [
  { methods: ['GET', 'HEAD'], path: '/' },
  { methods: ['GET', 'HEAD'], path: '/api/notifications' },
  { methods: ['GET', 'HEAD'], path: '/-/healthy' },
  { methods: ['GET', 'HEAD'], path: '/-/ready' },
  { methods: ['POST'], path: '/*receiver' },
];

/** A running receiver (see {@link startWebhookReceiver}). */
export interface RunningWebhookReceiver {
  /** Base URL, e.g. `http://127.0.0.1:5001`. */
  readonly url: string;
  readonly inbox: Inbox;
  /** Stops accepting requests and waits for the open ones. */
  close(): Promise<void>;
}

/** Injected parts; defaults: a logger on stderr at the flags' level, notifications printed on stdout, the system clock. */
export interface StartOptions {
  logger?: Logger;
  print?: (line: string) => void;
  now?: () => number;
}

/**
 * Starts the receiver on `--web.listen-address`: a POST to any path is an Alertmanager webhook
 * notification (payload version 4), kept in the inbox and printed as text (the path tells which
 * webhook_config sent it); a body that is not one is answered 400 naming the field, and logged.
 * `GET /` is the page of the latest notifications, `GET /api/notifications` the same as JSON.
 */
export async function startWebhookReceiver(flags: WebhookReceiverFlags, options: StartOptions = {}): Promise<RunningWebhookReceiver> {
  const logger = options.logger ?? createLogger({ level: flags.logLevel, format: flags.logFormat });
  const print = options.print ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  const inbox = new Inbox(flags.keep);
  const receive = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    try {
      const payload = parseWebhookPayload((await readBody(req, MAX_BODY_BYTES)).toString('utf8'));
      const entry = inbox.add(path, payload, now());
      for (const line of notificationLines(entry)) print(line);
      send(res, 200, 'text/plain; charset=utf-8', 'received\n');
    } catch (err) {
      if (!(err instanceof WebhookReceiverError) && !(err instanceof HttpError)) throw err;
      logger.warn('refused a notification', { path, err: err.message });
      send(res, err instanceof HttpError ? err.status : 400, 'text/plain; charset=utf-8', `${err.message}\n`);
    }
  };
  const server = createHttpServer((req, res, target) => route(req, res, target, inbox, flags.keep, receive), { logger });
  const address = await listen(server, flags.listenAddress);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  logger.info('listening', { address: `${host}:${address.port}`, keep: flags.keep });
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`,
    inbox,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      })),
  };
}

type Receive = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>;

function route(req: IncomingMessage, res: ServerResponse, target: RequestTarget, inbox: Inbox, keep: number, receive: Receive): Promise<void> | undefined {
  const method = req.method ?? 'GET';
  if (method === 'POST') return receive(req, res, target.path);
  const page = GET_PAGES[target.path];
  if (page === undefined) send(res, 404, 'text/plain; charset=utf-8', `no page at ${target.path}; notifications are POSTed, the list is at / and /api/notifications\n`);
  else if (method !== 'GET' && method !== 'HEAD') send(res, 405, 'text/plain; charset=utf-8', `method ${method} not allowed at ${target.path}; use GET (or POST a notification)\n`, { Allow: 'GET, HEAD, POST' });
  else send(res, 200, page.type, page.body(inbox.newestFirst(), inbox.total, keep), {}, method === 'HEAD');
  return undefined;
}

const GET_PAGES: Readonly<Record<string, { type: string; body: (latest: readonly ReceivedNotification[], total: number, keep: number) => string }>> = {
  '/': { type: 'text/html; charset=utf-8', body: renderPage },
  '/api/notifications': { type: 'application/json', body: (latest, total) => `${JSON.stringify({ total, notifications: latest.map((n) => ({ ...n, receivedAt: new Date(n.receivedAt).toISOString() })) })}\n` },
  '/-/healthy': { type: 'text/plain; charset=utf-8', body: () => 'Healthy.\n' },
  '/-/ready': { type: 'text/plain; charset=utf-8', body: () => 'Ready.\n' },
};

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}, headOnly = false): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  res.end(headOnly ? undefined : body);
}

/** Listens on `host:port`, `:port` or `[v6]:port`; a malformed address is a flag mistake. */
function listen(server: Server, address: string): Promise<AddressInfo> {
  const colon = address.lastIndexOf(':');
  const port = Number(address.slice(colon + 1));
  if (colon < 0 || address.slice(colon + 1) === '' || !Number.isInteger(port) || port < 0 || port > 65535) return Promise.reject(new FlagError(`--web.listen-address ${JSON.stringify(address)} is not host:port or :port`));
  const host = address.slice(0, colon).replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host === '' ? undefined : host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
