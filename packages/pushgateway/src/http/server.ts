import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants as zlibConstants, createGzip } from 'node:zlib';
import { HttpError, parseQueryString, type HttpRoute, type RequestTarget, type TargetListener } from '@pyrometer/http-server';
import { MetricsRegistry, silentLogger, type Logger } from '@pyrometer/telemetry';
import { PushgatewayError } from '../errors.js';
import { parseGroupingPath } from '../grouping-key.js';
import { encodeExposition, parsePushBody } from '../internal/exposition-adapter.js';
import type { MetricStore } from '../store.js';
import { groupsAsJson } from './api-v1.js';
import { readBody } from './body.js';
import { parseGroupSelector } from './matcher-param.js';
import { CORS_HEADERS, sendApiError, sendApiSuccess, sendError, sendStatus } from './respond.js';

/** Options of {@link createPushgatewayHandler}; see {@link defaultHttpOptions}. */
export interface PushgatewayHttpOptions {
  store: MetricStore;
  /** The process's own metrics; the handler registers `pushgateway_http_requests_total` on it. */
  registry: MetricsRegistry;
  logger: Logger;
  /** `--web.telemetry-path`. */
  telemetryPath: string;
  /** `--web.route-prefix` without a trailing slash ('' for none). */
  routePrefix: string;
  /** False with `--push.disable-consistency-check`: pushes answer 202 unchecked. */
  checkConsistency: boolean;
  /** `--web.enable-admin-api`: enables `PUT /api/v1/admin/wipe`. */
  enableAdminApi: boolean;
  /** Beyond upstream: enables `DELETE /api/v1/groups?match[]=<selector>`. */
  enableDeleteByMatchers: boolean;
  /** `--web.enable-lifecycle`: `PUT|POST /-/quit` calls `onQuit`; otherwise 403. */
  enableLifecycle: boolean;
  onQuit: () => void;
  /** Flag values for `/api/v1/status`. */
  flags: Readonly<Record<string, string>>;
  buildInfo: Readonly<Record<string, string>>;
  /** Largest accepted push body, in bytes, before and after decompression. */
  maxBodyBytes: number;
  /** Clock in ms since the epoch (push times). */
  now: () => number;
}

export function defaultHttpOptions(store: MetricStore): PushgatewayHttpOptions {
  return {
    store,
    registry: new MetricsRegistry(),
    logger: silentLogger(),
    telemetryPath: '/metrics',
    routePrefix: '',
    checkConsistency: true,
    enableAdminApi: false,
    enableDeleteByMatchers: false,
    enableLifecycle: false,
    onQuit: () => undefined,
    flags: {},
    buildInfo: {},
    maxBodyBytes: 256 * 1024 * 1024,
    now: Date.now,
  };
}

type Route = (req: IncomingMessage, res: ServerResponse, path: string, target: RequestTarget) => Promise<void> | void;

/** A listener for @pyrometer/http-server, with the route table the app reports for its fuzz test. */
export type PushgatewayHandler = TargetListener & { readonly routes: readonly HttpRoute[] };

/**
 * The Pushgateway's HTTP API as a request listener for @pyrometer/http-server (which has decoded
 * and cleaned the path, so `/metrics/job/..` was redirected before it got here, as upstream): the
 * push API, `/metrics`, the v1 API, health endpoints, and the opt-in admin and delete-by-matchers
 * endpoints. Requests are counted in `pushgateway_http_requests_total{code,handler,method}`
 * (scrapes excluded, as upstream). Store and body errors never escape: they become 4xx/5xx answers.
 */
export function createPushgatewayHandler(partial: Partial<PushgatewayHttpOptions> & { store: MetricStore }): PushgatewayHandler {
  const o: PushgatewayHttpOptions = { ...defaultHttpOptions(partial.store), ...partial };
  const requests = o.registry.counter({ name: 'pushgateway_http_requests_total', help: 'Total HTTP requests processed by the Pushgateway, excluding scrapes.', labelNames: ['code', 'handler', 'method'] });
  const push = (replace: boolean): Route => (req, res, path) => handlePush(o, req, res, path, replace);
  const PUSH_PATH = '/metrics/job/*grouping';

  const routes: { method: string; path: string; matches: (p: string) => boolean; handler: string; route: Route }[] = [
    { method: 'PUT', path: PUSH_PATH, matches: isPushPath, handler: 'push', route: push(true) },
    { method: 'POST', path: PUSH_PATH, matches: isPushPath, handler: 'push', route: push(false) },
    { method: 'DELETE', path: PUSH_PATH, matches: isPushPath, handler: 'delete', route: (req, res, path) => handleDelete(o, res, path) },
    { method: 'GET', path: o.telemetryPath, matches: exactly(o.telemetryPath), handler: '', route: (req, res) => handleScrape(o, req, res) },
    { method: 'GET', path: '/-/healthy', matches: exactly('/-/healthy'), handler: 'healthy', route: (_q, res) => health(o, res) },
    { method: 'GET', path: '/-/ready', matches: exactly('/-/ready'), handler: 'ready', route: (_q, res) => health(o, res) },
    { method: 'GET', path: '/api/v1/status', matches: exactly('/api/v1/status'), handler: 'api/v1/status', route: (_q, res) => sendApiSuccess(res, { flags: o.flags, start_time: startTime, build_information: o.buildInfo }) },
    { method: 'GET', path: '/api/v1/metrics', matches: exactly('/api/v1/metrics'), handler: 'api/v1/metrics', route: async (_q, res) => sendApiSuccess(res, groupsAsJson(await o.store.groups())) },
    { method: 'OPTIONS', path: '/api/v1/*path', matches: (p) => p.startsWith('/api/v1/'), handler: 'api/v1/options', route: (_q, res) => void res.writeHead(200, CORS_HEADERS).end() },
    { method: 'PUT', path: '/api/v1/admin/wipe', matches: exactly('/api/v1/admin/wipe'), handler: 'wipe', route: (_q, res) => handleWipe(o, res) },
    { method: 'DELETE', path: '/api/v1/groups', matches: exactly('/api/v1/groups'), handler: 'delete_matching', route: (_q, res, _p, target) => handleDeleteMatching(o, target, res) },
    { method: 'PUT', path: '/-/quit', matches: exactly('/-/quit'), handler: 'quit', route: (_q, res) => quit(o, res) },
    { method: 'POST', path: '/-/quit', matches: exactly('/-/quit'), handler: 'quit', route: (_q, res) => quit(o, res) },
  ];
  const startTime = new Date(o.now()).toISOString();
  const table = new Map<string, string[]>();
  for (const r of routes) table.set(r.path, [...(table.get(r.path) ?? []), r.method]);

  const listener: TargetListener = (req, res, target) => {
    let path = target.path;
    if (o.routePrefix !== '') {
      if (!path.startsWith(o.routePrefix + '/')) return sendError(res, 404, '404 page not found');
      path = path.slice(o.routePrefix.length);
    }
    const method = req.method ?? 'GET';
    const match = routes.find((r) => r.method === method && r.matches(path));
    if (match === undefined) {
      const known = routes.some((r) => r.matches(path));
      return known ? sendError(res, 405, 'Method Not Allowed') : sendError(res, 404, '404 page not found');
    }
    if (match.handler !== '') res.once('finish', () => requests.labels(String(res.statusCode), match.handler, method.toLowerCase()).inc());
    return Promise.resolve()
      .then(() => match.route(req, res, path, target))
      .catch((err: unknown) => {
        if (res.headersSent) return void res.destroy();
        if (err instanceof HttpError) return sendError(res, err.status, err.message);
        if (err instanceof PushgatewayError && err.code === 'bad_request') return sendError(res, 400, err.message);
        o.logger.error('request failed', { method, path, err: (err as Error).message });
        sendError(res, 500, (err as Error).message);
      });
  };
  return Object.assign(listener, { routes: [...table].map(([path, methods]) => ({ methods, path })) });
}

const exactly = (want: string) => (path: string) => path === want;

/** `/metrics/job/<job>…` with a non-empty job segment (upstream's router answers 404 otherwise). */
function isPushPath(path: string): boolean {
  return /^\/metrics\/job(@base64)?\/[^/]/.test(path);
}

async function handlePush(o: PushgatewayHttpOptions, req: IncomingMessage, res: ServerResponse, path: string, replace: boolean): Promise<void> {
  const timeMs = o.now();
  const labels = parseGroupingPath(path.slice('/metrics/'.length));
  const body = await readBody(req, o.maxBodyBytes);
  let families;
  try {
    families = parsePushBody(body, req.headers['content-type']);
  } catch (err) {
    o.logger.debug('failed to parse the push body', { source: req.socket.remoteAddress, err: (err as Error).message });
    throw err;
  }
  const result = await o.store.write({ op: replace ? 'put' : 'post', labels, families, timeMs, check: o.checkConsistency });
  if (result.error !== undefined) {
    o.logger.error('pushed metrics are invalid or inconsistent with existing metrics', { method: req.method, source: req.socket.remoteAddress, err: result.error });
    if (o.checkConsistency) return sendError(res, 400, `pushed metrics are invalid or inconsistent with existing metrics: ${result.error}`);
  }
  sendStatus(res, o.checkConsistency ? 200 : 202);
}

async function handleDelete(o: PushgatewayHttpOptions, res: ServerResponse, path: string): Promise<void> {
  const labels = parseGroupingPath(path.slice('/metrics/'.length));
  await o.store.write({ op: 'delete', labels });
  sendStatus(res, 202);
}

async function handleScrape(o: PushgatewayHttpOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const families = await o.store.gather();
  const { contentType, chunks } = encodeExposition(families, req.headers.accept);
  const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  res.writeHead(200, gzip ? { 'Content-Type': contentType, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' } : { 'Content-Type': contentType });
  const sink = gzip ? createGzip({ level: zlibConstants.Z_BEST_SPEED }) : undefined;
  const done = sink === undefined ? undefined : pipeline(sink, res);
  const out: Writable = sink ?? res;
  for (const chunk of chunks) {
    if (res.destroyed) break;
    if (!out.write(chunk)) await drainedOrClosed(out, res);
  }
  out.end();
  await done;
}

/** Resolves when `out` can take more data or the client went away; leaves no listeners behind. */
function drainedOrClosed(out: Writable, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      res.off('close', done);
      resolve();
    };
    out.on('drain', done);
    res.on('close', done);
  });
}

function health(o: PushgatewayHttpOptions, res: ServerResponse): void {
  if (o.store.healthy()) {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('OK');
  } else sendError(res, 500, 'the metric store is not healthy (write queue full or backend down)');
}

async function handleWipe(o: PushgatewayHttpOptions, res: ServerResponse): Promise<void> {
  if (!o.enableAdminApi) return sendError(res, 404, '404 page not found');
  sendStatus(res, 202);
  await o.store.write({ op: 'wipe' });
}

async function handleDeleteMatching(o: PushgatewayHttpOptions, target: RequestTarget, res: ServerResponse): Promise<void> {
  if (!o.enableDeleteByMatchers) return sendApiError(res, 403, 'unavailable', 'delete by matchers is disabled; start with --web.enable-delete-by-matchers');
  const selectors = parseQueryString(target.rawQuery).get('match[]') ?? [];
  if (selectors.length === 0) return sendApiError(res, 400, 'bad_data', 'no match[] parameter given');
  let parsed;
  try {
    parsed = selectors.map(parseGroupSelector);
  } catch (err) {
    return sendApiError(res, 400, 'bad_data', (err as Error).message);
  }
  let deleted = 0;
  for (const matchers of parsed) deleted += (await o.store.write({ op: 'delete_matching', matchers })).deleted;
  sendApiSuccess(res, { deleted });
}

function quit(o: PushgatewayHttpOptions, res: ServerResponse): void {
  if (!o.enableLifecycle) return sendError(res, 403, 'Lifecycle API is not enabled.');
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('Requesting termination... Goodbye!');
  o.onQuit();
}

