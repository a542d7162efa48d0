import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpServer, type HttpRoute } from '@pyrometer/http-server';
import { formatDuration } from '@pyrometer/model';
import { createPushgatewayHandler, MemoryStore, RedisStore, type MetricStore } from '@pyrometer/pushgateway';
import { createLogger, MetricsRegistry, registerProcessMetrics, type Logger } from '@pyrometer/telemetry';
import { withUi } from '@pyrometer/web/serve';
import type { PushgatewayFlags } from './flags.js';

/** This build's version, reported in `pushgateway_build_info` and `/api/v1/status`. */
export const VERSION = '0.1.0';

/** A running Pushgateway (see {@link startPushgateway}). */
export interface RunningPushgateway {
  /** Base URL, e.g. `http://127.0.0.1:9091`. */
  readonly url: string;
  readonly store: MetricStore;
  /** Every HTTP route (methods and path pattern), as the fuzz test enumerates them. */
  readonly routes: readonly HttpRoute[];
  /** Stops accepting requests, stops expiry, and flushes the store (persistence file). */
  close(): Promise<void>;
}

/** Injected parts; defaults are a fresh registry and a logger on stderr at the flags' level. */
export interface StartOptions {
  logger?: Logger;
  registry?: MetricsRegistry;
  /** Called after `PUT /-/quit` (with --web.enable-lifecycle) has been answered. */
  onQuit?: () => void;
}

/**
 * Composes and starts the Pushgateway: the store chosen by the flags (memory with an optional
 * persistence file, or Redis), self-metrics, the HTTP API on `--web.listen-address`, and group
 * expiry when `--push.group-ttl` is set.
 */
export async function startPushgateway(flags: PushgatewayFlags, options: StartOptions = {}): Promise<RunningPushgateway> {
  const logger = options.logger ?? createLogger({ level: flags.logLevel, format: flags.logFormat });
  const registry = options.registry ?? new MetricsRegistry();
  registerProcessMetrics(registry);
  registry.gauge({ name: 'pushgateway_build_info', help: 'A metric with a constant \'1\' value labeled by version, revision, branch, goversion from which pushgateway was built, and the goos and goarch for the build.', labelNames: ['branch', 'goarch', 'goos', 'goversion', 'revision', 'tags', 'version'] })
    .labels('', process.arch, process.platform, process.version, '', 'node', VERSION)
    .set(1);
  const ownFamilies = () => registry.collect();
  const store: MetricStore = flags.redisUrl !== ''
    ? await RedisStore.open({ url: flags.redisUrl, keyPrefix: flags.redisKeyPrefix, ownFamilies, logger: logger.with({ component: 'redis-store' }) })
    : await MemoryStore.open({ persistenceFile: flags.persistenceFile, persistenceIntervalMs: flags.persistenceIntervalMs, ownFamilies, logger: logger.with({ component: 'store' }) });
  const routePrefix = flags.routePrefix.replace(/\/+$/, '');
  const handler = createPushgatewayHandler({
    store,
    registry,
    logger,
    telemetryPath: flags.telemetryPath,
    routePrefix,
    checkConsistency: !flags.disableConsistencyCheck,
    enableAdminApi: flags.enableAdminApi,
    enableDeleteByMatchers: flags.enableDeleteByMatchers,
    enableLifecycle: flags.enableLifecycle,
    onQuit: options.onQuit ?? (() => undefined),
    flags: statusFlags(flags),
    buildInfo: { version: VERSION, revision: '', branch: '', buildUser: '', buildDate: '', goVersion: process.version },
  });
  // The web UI's pages at / (upstream's Pushgateway serves its UI there too).
  const server = createHttpServer(withUi(handler, { app: 'pushgateway', basePath: routePrefix, routePrefix }), { logger });
  const { host, port } = splitListenAddress(flags.listenAddress);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  logger.info('listening', { address: `${urlHost}:${address.port}`, store: flags.redisUrl !== '' ? 'redis' : 'memory' });
  const expiry = flags.groupTtlMs > 0 ? startExpiry(store, flags.groupTtlMs, logger) : undefined;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost === '0.0.0.0' || urlHost === '[::]' ? '127.0.0.1' : urlHost}:${address.port}`,
    store,
    routes: handler.routes,
    close: () => (closing ??= (async () => {
      clearInterval(expiry);
      await closeServer(server);
      await store.close();
    })()),
  };
}

/** Runs expiry every tenth of the TTL (between 1 s and 1 min). */
function startExpiry(store: MetricStore, ttlMs: number, logger: Logger): NodeJS.Timeout {
  const every = Math.min(60_000, Math.max(1000, Math.floor(ttlMs / 10)));
  const timer = setInterval(() => {
    store.write({ op: 'expire', beforeMs: Date.now() - ttlMs }).then(
      ({ deleted }) => deleted > 0 && logger.info('expired groups', { deleted, ttl_ms: ttlMs }),
      (err: unknown) => logger.error('group expiry failed', { err: (err as Error).message }),
    );
  }, every);
  timer.unref();
  return timer;
}

function splitListenAddress(address: string): { host: string | undefined; port: number } {
  const i = address.lastIndexOf(':');
  if (i < 0) throw new Error(`--web.listen-address ${JSON.stringify(address)}: missing port (expected host:port or :port)`);
  const host = address.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(address.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--web.listen-address ${JSON.stringify(address)}: invalid port`);
  return { host: host === '' ? undefined : host, port };
}

function statusFlags(flags: PushgatewayFlags): Record<string, string> {
  return {
    'web.listen-address': flags.listenAddress,
    'web.telemetry-path': flags.telemetryPath,
    'web.route-prefix': flags.routePrefix,
    'web.enable-lifecycle': String(flags.enableLifecycle),
    'web.enable-admin-api': String(flags.enableAdminApi),
    'persistence.file': flags.persistenceFile,
    'persistence.interval': formatDuration(flags.persistenceIntervalMs),
    'push.disable-consistency-check': String(flags.disableConsistencyCheck),
    'log.level': flags.logLevel,
    'log.format': flags.logFormat,
    'push.group-ttl': formatDuration(flags.groupTtlMs),
    'web.enable-delete-by-matchers': String(flags.enableDeleteByMatchers),
    'store.redis-url': flags.redisUrl === '' ? '' : '<set>',
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
