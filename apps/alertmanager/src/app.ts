import { mkdir } from 'node:fs/promises';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Alertmanager, AlertmanagerApi, API_ROUTES, builtinIntegrations, loadAlertmanagerConfig, RedisState, redisStateOptions, systemClock, type Clock, type IntegrationRegistry, type MatcherMode, type VersionInfo } from '@pyrometer/alertmanager';
import { writeText } from '@pyrometer/exposition';
import { createHttpServer, parseQueryString, type HttpRoute, type TargetListener } from '@pyrometer/http-server';
import { withUi } from '@pyrometer/web/serve';
import { createLogger, MetricsRegistry, registerProcessMetrics, type Logger } from '@pyrometer/telemetry';
import { loadWebConfig, tlsServerOptions, webConfigGate } from '@pyrometer/web-config';
import { externalUrl, formatExternalUrl, routePrefix } from './external-url.js';
import type { AlertmanagerFlags } from './flags.js';
import { HttpMetrics } from './http-metrics.js';

/** This build's version; the API reports the upstream release whose behaviour it matches. */
export const VERSION = '0.1.0';
const UPSTREAM_VERSION = '0.28.1';

/** A running Alertmanager (see {@link startAlertmanager}). */
export interface RunningAlertmanager {
  /** Base URL including the route prefix, e.g. `http://127.0.0.1:9093`. */
  readonly url: string;
  readonly am: Alertmanager;
  /** Every route it answers, below the route prefix (for the fuzz test and metrics labels). */
  readonly routes: readonly HttpRoute[];
  /** Reloads `--config.file` (SIGHUP, `POST /-/reload`); a bad file is refused and the running config kept. */
  reload(): Promise<void>;
  /** Stops serving, stops the pipeline and writes the state files. */
  close(): Promise<void>;
}

/** Injected parts for tests; defaults are the system clock, a fresh registry and a stderr logger. */
export interface StartOptions {
  logger?: Logger;
  registry?: MetricsRegistry;
  clock?: Clock;
  integrations?: IntegrationRegistry;
}

function matcherMode(features: readonly string[]): MatcherMode {
  if (features.includes('classic-mode')) return 'classic';
  if (features.includes('utf8-strict-mode')) return 'utf8-strict';
  return 'fallback';
}

/**
 * Composes and starts the Alertmanager: loads the config (refusing to start on a bad one), opens
 * the state under `--storage.path`, and serves the API v2, health, reload and metrics endpoints on
 * `--web.listen-address` under the route prefix, with the web config's TLS and basic auth.
 */
export async function startAlertmanager(flags: AlertmanagerFlags, options: StartOptions = {}): Promise<RunningAlertmanager> {
  const logger = options.logger ?? createLogger({ level: flags.logLevel, format: flags.logFormat });
  const registry = options.registry ?? new MetricsRegistry();
  const clock = options.clock ?? systemClock;
  if (flags.systemdSocket) throw new Error('--web.systemd-socket is not supported; use --web.listen-address');
  if (flags.clusterPeer !== '') logger.warn('gossip clustering is not implemented; --cluster.* flags are ignored (replicas share state through Redis)', { peer: flags.clusterPeer });
  const mode = matcherMode(flags.features);
  const configOptions = { matcherMode: mode, onMatcherFallback: (input: string, origin: string, suggestion: string) => logger.warn('matcher parsed with the classic parser; quote values and regexes for the UTF-8 parser', { input, origin, suggestion }) };
  const webConfig = flags.webConfigFile !== '' ? loadWebConfig(flags.webConfigFile) : undefined;
  const external = externalUrl(flags.externalUrl, flags.listenAddress);
  const prefix = routePrefix(flags.routePrefix, external);
  await mkdir(flags.storagePath, { recursive: true });

  registerProcessMetrics(registry);
  registry.gauge({ name: 'alertmanager_build_info', help: "A metric with a constant '1' value labeled by version, revision, branch, goversion from which alertmanager was built, and the goos and goarch for the build.", labelNames: ['branch', 'goarch', 'goos', 'goversion', 'revision', 'tags', 'version'] })
    .labels('', process.arch, process.platform, process.version, '', 'node', VERSION)
    .set(1);
  registry.gauge({ name: 'alertmanager_cluster_enabled', help: 'Indicates whether the clustering is enabled or not.' }).set(0);

  logger.info('Loading configuration file', { file: flags.configFile });
  const loaded = await loadAlertmanagerConfig(flags.configFile, configOptions);
  const shared = flags.redisUrl === '' ? undefined : await RedisState.open({ url: flags.redisUrl, keyPrefix: flags.redisKeyPrefix, claimTtlMs: flags.redisClaimTtlMs, logger: logger.with({ component: 'redis-state' }) });
  if (shared !== undefined) logger.info('sharing state through Redis', { replica: shared.replicaId, key_prefix: flags.redisKeyPrefix });
  const am = await Alertmanager.start(loaded, {
    storagePath: flags.storagePath,
    retentionMs: flags.retentionMs,
    maintenanceIntervalMs: flags.maintenanceIntervalMs,
    alertGcIntervalMs: flags.alertGcIntervalMs,
    alertsSnapshotIntervalMs: 10_000,
    silenceLimits: { maxSilences: Math.max(0, flags.maxSilences), maxSilenceSizeBytes: Math.max(0, flags.maxSilenceSizeBytes) },
    externalUrl: formatExternalUrl(external),
    version: UPSTREAM_VERSION,
    clock,
    logger,
    registry,
    integrations: options.integrations ?? builtinIntegrations(),
    random: Math.random,
    ...(shared === undefined ? {} : redisStateOptions(shared, clock, logger)),
  }).catch(async (err: unknown) => {
    await shared?.close();
    throw err;
  });
  const stop = async () => {
    await am.stop();
    await shared?.close();
  };
  logger.info('Completed loading of configuration file', { file: flags.configFile });

  let reloading: Promise<void> = Promise.resolve();
  const reload = (): Promise<void> => {
    reloading = reloading.catch(() => undefined).then(async () => {
      logger.info('Loading configuration file', { file: flags.configFile });
      try {
        await am.reload(() => loadAlertmanagerConfig(flags.configFile, configOptions));
      } catch (err) {
        logger.error('Loading configuration file failed', { file: flags.configFile, err: (err as Error).message });
        throw err;
      }
      logger.info('Completed loading of configuration file', { file: flags.configFile });
    });
    return reloading;
  };

  const versionInfo: VersionInfo = { version: UPSTREAM_VERSION, revision: `pyrometer-${VERSION}`, branch: 'pyrometer', buildUser: 'pyrometer', buildDate: '', goVersion: `node${process.versions.node}` };
  const api = new AlertmanagerApi({ am, clock, logger: logger.with({ component: 'api' }), registry, versionInfo });
  const listener = requestListener({ api, reload, registry, prefix, logger, metrics: new HttpMetrics(registry) });
  const tls = tlsServerOptions(webConfig);
  // The web UI's pages at / (upstream's Alertmanager serves its UI there too), behind the same auth.
  const uiBasePath = new URL(formatExternalUrl(external)).pathname.replace(/\/+$/, '');
  const server = createHttpServer(withUi(listener, { app: 'alertmanager', basePath: uiBasePath, routePrefix: prefix }), { logger, authorize: webConfigGate(webConfig), ...(tls === undefined ? {} : { tls }) });
  try {
    await listen(server, flags.listenAddress);
  } catch (err) {
    await stop();
    throw err;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  logger.info('Listening', { address: `${host}:${address.port}` });
  let closing: Promise<void> | undefined;
  return {
    url: `${tls ? 'https' : 'http'}://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}${prefix === '/' ? '' : prefix}`,
    am,
    routes: ROUTES,
    reload,
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await stop();
      })()),
  };
}

function listen(server: Server, address: string): Promise<void> {
  const i = address.lastIndexOf(':');
  const host = i < 0 ? '' : address.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(address.slice(i + 1));
  if (i < 0 || !Number.isInteger(port) || port < 0 || port > 65535) return Promise.reject(new Error(`--web.listen-address ${JSON.stringify(address)}: expected host:port or :port`));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host === '' ? undefined : host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

interface ListenerParts {
  api: AlertmanagerApi;
  reload: () => Promise<void>;
  registry: MetricsRegistry;
  prefix: string;
  logger: Logger;
  metrics: HttpMetrics;
}

/** The routes besides the API's (whose table the API package keeps). */
const LIFECYCLE_ROUTES: readonly HttpRoute[] = [
  { methods: ['GET'], path: '/metrics' },
  { methods: ['GET', 'HEAD'], path: '/-/healthy' },
  { methods: ['GET', 'HEAD'], path: '/-/ready' },
  { methods: ['POST'], path: '/-/reload' },
  { methods: ['GET'], path: '/' },
];
const ROUTES: readonly HttpRoute[] = [...LIFECYCLE_ROUTES, ...API_ROUTES];

const UI_PAGE = '<!DOCTYPE html><html><head><title>Alertmanager</title></head><body><h1>Alertmanager</h1><p>Pyrometer serves no web UI; the API v2 is at <a href="api/v2/status">api/v2/status</a>, <a href="api/v2/alerts">api/v2/alerts</a>, <a href="api/v2/silences">api/v2/silences</a>.</p></body></html>\n';

function text(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type });
  res.end(body);
}

/**
 * Routes one request as upstream's router and API mux do. The target arrives decoded and clean
 * (@pyrometer/http-server answered malformed ones); a handler failure answers 500.
 */
function requestListener(p: ListenerParts): TargetListener {
  const { prefix } = p;
  return (req, res, target) => {
    const method = req.method ?? 'GET';
    let path = target.path;
    if (prefix !== '/') {
      if (path === '/' && method === 'GET') {
        res.writeHead(302, { Location: prefix });
        res.end();
        return;
      }
      if (path !== prefix && !path.startsWith(prefix + '/')) return text(res, 404, '404 page not found\n');
      path = path.slice(prefix.length) || '/';
    }
    if (path.startsWith('/api/v2/') || path === '/api/v2' || path.startsWith('/api/v1/')) {
      p.metrics.track(path.startsWith('/api/v1/') ? '/api/v1' : '/api/v2', method, res);
      return p.api.handle(req, res, path, parseQueryString(target.rawQuery));
    }
    const routes: Record<string, Record<string, () => void | Promise<void>>> = {
      '/metrics': { GET: () => text(res, 200, writeText(p.registry.collect()), 'text/plain; version=0.0.4; charset=utf-8') },
      '/-/healthy': { GET: () => text(res, 200, 'OK'), HEAD: () => text(res, 200, '') },
      '/-/ready': { GET: () => text(res, 200, 'OK'), HEAD: () => text(res, 200, '') },
      '/-/reload': {
        POST: () =>
          p.reload().then(
            () => text(res, 200, ''),
            (err: unknown) => text(res, 500, `failed to reload config: ${(err as Error).message}\n`),
          ),
      },
      '/': { GET: () => text(res, 200, UI_PAGE, 'text/html; charset=utf-8') },
    };
    const route = routes[path];
    if (route === undefined) return text(res, 404, '404 page not found\n');
    const run = route[method];
    if (run === undefined) return text(res, 405, 'Method Not Allowed\n');
    p.metrics.track(path, method, res);
    return run();
  };
}
