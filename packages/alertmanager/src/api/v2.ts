import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger, MetricsRegistry } from '@pyrometer/telemetry';
import type { Alertmanager } from '../alertmanager.js';
import type { Clock } from '../clock.js';
import { AlertmanagerError } from '../errors.js';
import { fromMillis } from '../time/instant.js';
import { AlertsApi } from './alerts-api.js';
import { RequestRejected } from './body.js';
import { statusJson, type VersionInfo } from './models.js';
import type { Query } from './params.js';
import { applyCors, sendApiError, sendJson, sendMessage } from './respond.js';
import { SilencesApi } from './silences-api.js';

export interface ApiOptions {
  am: Alertmanager;
  clock: Clock;
  logger: Logger;
  registry: MetricsRegistry;
  versionInfo: VersionInfo;
}

type Handler = (req: IncomingMessage, res: ServerResponse, query: Query, param: string) => void | Promise<void>;

/** A route of the API: its methods and path (`:name` is one path segment), as apps report their routes. */
export interface ApiRoute {
  readonly methods: readonly string[];
  readonly path: string;
}

/** Every route this API answers (for the apps' route tables, metrics labels and fuzz tests). */
export const API_ROUTES: readonly ApiRoute[] = [
  { methods: ['GET'], path: '/api/v2/status' },
  { methods: ['GET'], path: '/api/v2/receivers' },
  { methods: ['GET', 'POST'], path: '/api/v2/alerts' },
  { methods: ['GET'], path: '/api/v2/alerts/groups' },
  { methods: ['GET', 'POST'], path: '/api/v2/silences' },
  { methods: ['GET', 'DELETE'], path: '/api/v2/silence/:silenceID' },
  { methods: ['GET'], path: '/api/v1/status' },
  { methods: ['GET'], path: '/api/v1/receivers' },
  { methods: ['GET', 'POST'], path: '/api/v1/alerts' },
  { methods: ['GET', 'POST'], path: '/api/v1/silences' },
  { methods: ['GET', 'DELETE'], path: '/api/v1/silence/:id' },
];

/** Upstream's answer on every removed `/api/v1` route. */
const V1_GONE = '{"status":"deprecated","error":"The Alertmanager v1 API was deprecated in version 0.16.0 and is removed as of version 0.27.0 - please use the equivalent route in the v2 API"}';
const V1_ROUTES: Record<string, string[]> = { '/status': ['GET'], '/receivers': ['GET'], '/alerts': ['GET', 'POST'], '/silences': ['GET', 'POST'], '/silence/:id': ['GET', 'DELETE'] };

/**
 * The Alertmanager API v2 as upstream's go-swagger server answers it, plus the 410 of the removed
 * v1 API. `handle` takes a request whose path (without the route prefix) starts with `/api/`,
 * and resolves once it has been answered; it never rejects.
 */
export class AlertmanagerApi {
  private readonly alerts: AlertsApi;
  private readonly silences: SilencesApi;
  private readonly startedAt: bigint;
  private readonly routes: Map<string, Map<string, Handler>>;

  constructor(private readonly o: ApiOptions) {
    const metrics = {
      received: o.registry.counter({ name: 'alertmanager_alerts_received_total', help: 'The total number of received alerts.', labelNames: ['status', 'version'] }),
      invalid: o.registry.counter({ name: 'alertmanager_alerts_invalid_total', help: 'The total number of received alerts that were invalid.', labelNames: ['version'] }),
    };
    this.alerts = new AlertsApi(o.am, o.clock, { received: (status, n) => metrics.received.labels(status, 'v2').inc(n), invalid: (n) => metrics.invalid.labels('v2').inc(n) });
    this.silences = new SilencesApi(o.am, o.clock);
    this.startedAt = fromMillis(o.clock.now());
    const am = o.am;
    this.routes = new Map<string, Map<string, Handler>>([
      ['/status', new Map([['GET', (_q, res) => sendJson(res, 200, statusJson(am.config.original, this.startedAt, o.versionInfo))]])],
      ['/receivers', new Map([['GET', (_q, res) => sendJson(res, 200, `[${am.config.config.receivers.map((r) => `{"name":${JSON.stringify(r.name)}}`).join(',')}]`)]])],
      ['/alerts', new Map<string, Handler>([['GET', (_r, res, query) => this.alerts.list(query, res)], ['POST', (req, res) => this.alerts.post(req, res)]])],
      ['/alerts/groups', new Map([['GET', (_r, res, query) => this.alerts.groups(query, res)]])],
      ['/silences', new Map<string, Handler>([['GET', (_r, res, query) => this.silences.list(query, res)], ['POST', (req, res) => this.silences.post(req, res)]])],
      ['/silence/', new Map<string, Handler>([['GET', (_q, res, _u, id) => this.silences.get(id, res)], ['DELETE', (_q, res, _u, id) => this.silences.delete(id, res)]])],
    ]);
  }

  /** `path` is decoded and clean, without the route prefix; `query` as Go's `url.ParseQuery` reads it. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string, query: Query): Promise<void> {
    try {
      if (path.startsWith('/api/v1/')) return this.v1(req, res, path.slice('/api/v1'.length));
      if (applyCors(req, res)) return;
      res.setHeader('Cache-Control', 'no-store');
      const rest = path.slice('/api/v2'.length);
      const isSilence = rest.startsWith('/silence/') && rest.length > '/silence/'.length && !rest.slice('/silence/'.length).includes('/');
      const methods = this.routes.get(isSilence ? '/silence/' : rest);
      if (!path.startsWith('/api/v2/') || methods === undefined) return sendApiError(res, 404, `path ${path} was not found`);
      const handler = methods.get(req.method === 'HEAD' ? 'GET' : (req.method ?? ''));
      if (handler === undefined) {
        const allowed = [...methods.keys()].join(',');
        return sendApiError(res, 405, `method ${req.method} is not allowed, but [${allowed}] are`, { Allow: allowed });
      }
      await handler(req, res, query, isSilence ? rest.slice('/silence/'.length) : '');
    } catch (err) {
      this.fail(res, err, path);
    }
  }

  private v1(req: IncomingMessage, res: ServerResponse, rest: string): void {
    const key = /^\/silence\/[^/]+$/.test(rest) ? '/silence/:id' : rest;
    if (!(V1_ROUTES[key] ?? []).includes(req.method ?? '')) return sendApiError(res, 404, `path /api/v1${rest} was not found`);
    this.o.logger.warn('v1 API received a request on a removed endpoint', { path: `/api/v1${rest}`, method: req.method });
    res.writeHead(410, { 'Content-Type': 'application/json' });
    res.end(V1_GONE + '\n');
  }

  private fail(res: ServerResponse, err: unknown, path: string): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof RequestRejected) return sendApiError(res, err.code, err.message, err.headers);
    if (err instanceof AlertmanagerError && (err.code === 'invalid_matcher' || err.code === 'invalid_silence' || err.code === 'invalid_alert')) return sendMessage(res, 400, err.message);
    this.o.logger.error('API request failed', { path, err: (err as Error).message });
    sendMessage(res, 500, (err as Error).message);
  }
}
