import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '@pyrometer/config';
import { writeText } from '@pyrometer/exposition';
import type { HttpRoute } from '@pyrometer/http-server';
import { AnchoredRegex } from '@pyrometer/model';
import { registerQueueMetrics, RemoteReadStorage, RemoteWriteStorage, type WalSource } from '@pyrometer/remote';
import type { RuleManager } from '@pyrometer/rules';
import { ScrapeManager } from '@pyrometer/scrape';
import { createLogger, MetricsRegistry, registerProcessMetrics, type Logger } from '@pyrometer/telemetry';
import { Tsdb, WalTail } from '@pyrometer/tsdb';
import { addRulesRoutes } from './api/rules-api.js';
import { Alerting } from './alerting.js';
import { buildInfo, describeRetention } from './api/status-api.js';
import type { ServerOptions } from './flags.js';
import { PROMPT_LANE } from './query/prompt-lane.js';
import type { RemoteReadSettings, WorkerConfig } from './query/protocol.js';
import { SelectPrefetch } from './query/select-prefetch.js';
import { QueryPool } from './query/query-pool.js';
import { prepareQueryWorkerStart } from './query/spawn-worker.js';
import { QueryService } from './query/query-service.js';
import { createRuleManager, loadRuleGroups, notifyVia } from './rule-manager.js';
import { addServerRoutes } from './server-routes.js';
import { send } from './web/response.js';
import type { Router } from './web/router.js';
import { createRouter, uiBasePath } from './web/web-app.js';
import { loadWebConfig, type WebConfig } from '@pyrometer/web-config';
import { ConcurrencyLimit, instrumentHandler } from './web/http-metrics.js';
import { createWebServer, webHandler, withoutPrefix } from './web/web-handler.js';

/** Our own version (the API level we implement is reported separately, see buildInfo). */
export const VERSION = '0.1.0';

/**
 * The composition root: configuration → scrape manager → TSDB → PromQL engine → HTTP API, and the
 * notifier that sends alerts to Alertmanagers. The only place where the TSDB meets PromQL. This
 * (the ingestion) thread keeps scraping, the TSDB and HTTP; queries — the API's and the rules' —
 * are parsed, evaluated and encoded by a pool of worker threads (src/query). `start` opens
 * everything and listens; `reload` applies a new configuration (a bad one is rejected and the old
 * one keeps running); `stop` shuts down gracefully, flushing the TSDB.
 */
export class PyrometerServer {
  private config: Config;
  private configText: string;
  private lastReloadOk = true;
  private lastConfigTimeMs = Date.now();
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly options: ServerOptions,
    readonly logger: Logger,
    readonly registry: MetricsRegistry,
    readonly tsdb: Tsdb,
    readonly remote: RemoteWriteStorage,
    readonly scrape: ScrapeManager,
    readonly rules: RuleManager,
    /** The notifier and its Alertmanager discovery; a rule manager's notify function is `alerting.notifyFunc(options.externalUrl)`. */
    readonly alerting: Alerting,
    readonly http: Server,
    private readonly pools: readonly QueryPool[],
    /** Instant queries for the server's own components (the rules' QueryFunc), run by the query workers. */
    readonly queryService: QueryService,
    loaded: LoadedConfig,
    private readonly router: Router,
  ) {
    this.config = loaded.config;
    this.configText = loaded.text;
  }

  /** Opens storage, applies the configuration and starts listening. Rejects on a bad config or flag. */
  static async start(options: ServerOptions, flagsText: ReadonlyMap<string, string>, onQuit: () => void = () => {}): Promise<PyrometerServer> {
    const logger = createLogger({ level: options.logLevel, format: options.logFormat });
    const registry = new MetricsRegistry();
    registerProcessMetrics(registry);
    const build = buildInfo(VERSION);
    let server: PyrometerServer | undefined;
    registry
      .gauge({ name: 'prometheus_build_info', help: 'A metric with a constant 1 value labeled by version, revision, branch, and goversion from which prometheus was built.', labelNames: ['version', 'revision', 'branch', 'goversion'] })
      .labels(build.version, build.revision, build.branch, build.goVersion)
      .set(1);
    registry.gaugeFunc({ name: 'prometheus_ready', help: 'Whether Prometheus startup was fully completed and the server is ready for normal operation.' }, () => (server === undefined ? 0 : 1));
    registry.gaugeFunc({ name: 'prometheus_config_last_reload_successful', help: 'Whether the last configuration reload attempt was successful.' }, () => (server?.lastReloadOk ?? true ? 1 : 0));
    registry.gaugeFunc({ name: 'prometheus_config_last_reload_success_timestamp_seconds', help: 'Timestamp of the last successful configuration reload.' }, () => (server?.lastConfigTimeMs ?? Date.now()) / 1000);
    const loaded = await loadConfigAndText(options.configFile);
    const config = loaded.config;
    const webConfig: WebConfig | undefined = options.webConfigFile ? loadWebConfig(options.webConfigFile) : undefined;
    logger.info('Starting Pyrometer server', { version: build.version, config: options.configFile, storage: options.tsdbPath });
    const tsdb = await Tsdb.open(options.tsdbPath, {
      lockfile: !options.noLockfile,
      retentionDuration: options.retentionTime,
      retentionBytes: options.retentionSize,
      minBlockDuration: options.minBlockDuration,
      maxBlockDuration: options.maxBlockDuration,
      outOfOrderWindow: config.storage.tsdb.outOfOrderTimeWindow,
      logger: logger.with({ component: 'tsdb' }),
      registry,
    }).catch((err: unknown) => {
      throw new Error(`opening storage failed: ${(err as Error).message}`, { cause: err });
    });
    const userAgent = `Prometheus/3.9.1 Pyrometer/${VERSION}`;
    const remoteLogger = logger.with({ component: 'remote' });
    const remote = new RemoteWriteStorage({ wal: tsdbWalSource(tsdb, remoteLogger), stateDir: join(options.tsdbPath, 'remote'), logger: remoteLogger, userAgent });
    registerQueueMetrics(registry, () => remote.destinations());
    await remote.applyConfig(config.remoteWrite, config.global.externalLabels);
    const scrape = new ScrapeManager(tsdb, { logger: logger.with({ component: 'scrape manager' }), registry, userAgent });
    const alerting = new Alerting({ ...options.notifier, userAgent, registry, logger: logger.with({ component: 'notifier' }) });
    await alerting.applyConfig(config);
    await RemoteReadStorage.check(config.remoteRead);
    const workerConfig = queryWorkerConfig(options, userAgent, remoteReadSettings(config));
    const queryPool = new QueryPool({ size: options.queryWorkers || availableParallelism() + 1, config: workerConfig, storage: tsdb, logger: logger.with({ component: 'query workers' }), registry, youngGenerationMb: QUERY_WORKER_YOUNG_GENERATION_MB, promptLane: PROMPT_LANE });
    // Remote write bodies are decoded by a worker of their own, so ingestion never waits behind a query.
    // It stays niced (no prompt lane): a body may take long to decode, and scrapes come first.
    const ingestPool = options.enableRemoteWriteReceiver ? new QueryPool({ size: 1, config: { ...workerConfig, warmUp: false }, storage: tsdb, logger: logger.with({ component: 'remote write decoder' }) }) : undefined;
    const pools = ingestPool === undefined ? [queryPool] : [queryPool, ingestPool];
    registry.gaugeFunc({ name: 'prometheus_engine_queries_concurrent_max', help: 'The max number of concurrent queries.' }, () => options.queryMaxConcurrency);
    const queryService = new QueryService(queryPool);
    const notify = notifyVia(alerting.notifyFunc(options.externalUrl));
    const rules = createRuleManager({ options, tsdb, queryService, registry, logger: logger.with({ component: 'rule manager' }), config: () => server?.config ?? config, notify });
    try {
      await rules.install(await loadRuleGroups(rules, config, options.externalUrl, logger));
    } catch (err) {
      await Promise.all(pools.map((p) => p.stop()));
      await alerting.stop();
      await remote.stop();
      await tsdb.close();
      throw err;
    }
    const externalLabels = () => server?.config.global.externalLabels ?? config.global.externalLabels;
    const router = createRouter(
      {
        pooled: { pool: queryPool, limit: new ConcurrencyLimit(options.queryMaxConcurrency), timeout: options.queryTimeout, externalLabels, now: Date.now, prefetch: new SelectPrefetch() },
        status: {
          build,
          flags: flagsText,
          configYaml: () => server?.configYaml() ?? '',
          startTimeMs: Date.now(),
          reloadConfigSuccess: () => server?.lastReloadOk ?? true,
          lastConfigTimeMs: () => server?.lastConfigTimeMs ?? Date.now(),
          corruptionCount: () => 0,
          storageRetention: describeRetention(options.retentionTime, options.retentionSize),
        },
      },
      { ready: () => server !== undefined, reload: () => server!.reload(), quit: onQuit, enabled: options.enableLifecycle },
      uiBasePath(options.externalUrl, options.routePrefix),
    );
    addServerRoutes(router, {
      options,
      tsdb,
      scrape,
      notifier: alerting.notifier,
      externalLabels,
      ingestPool,
      logger: logger.with({ component: 'web' }),
      registry,
    });
    addRulesRoutes(router, rules);
    router.add(['GET'], '/metrics', ({ req, res }) => send(req, res, 200, 'text/plain; version=0.0.4; charset=utf-8', writeText(registry.collect())));
    const listener = webHandler(router, { routePrefix: options.routePrefix, corsOrigin: new AnchoredRegex(options.corsOrigin) });
    const handlerOf = (path: string) => router.patternOf(withoutPrefix(path, options.routePrefix) ?? '') ?? 'other';
    const http = createWebServer(instrumentHandler(registry, handlerOf, listener), webConfig, logger.with({ component: 'web' }));
    try {
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(options.listenAddress.port, options.listenAddress.host, () => resolve());
      });
      await scrape.applyConfig(config);
    } catch (err) {
      // Worker threads would keep the process alive after a failed start.
      await Promise.all(pools.map((p) => p.stop()));
      throw err;
    }
    server = new PyrometerServer(options, logger, registry, tsdb, remote, scrape, rules, alerting, http, pools, queryService, loaded, router);
    rules.start();
    // Off the first query's path: that query's worker start then finds the bundle hashed (spawn-worker.ts).
    setImmediate(prepareQueryWorkerStart);
    logger.info('Server is ready to receive web requests.', { address: server.address });
    return server;
  }

  /** The address the server listens on, e.g. `127.0.0.1:9090`. */
  get address(): string {
    const a = this.http.address() as AddressInfo;
    return `${a.address}:${a.port}`;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** Every HTTP route (methods and path pattern), as the fuzz test enumerates them. */
  routes(): HttpRoute[] {
    return this.router.routes();
  }

  /** The configuration in effect, as YAML (the file's text as loaded). */
  configYaml(): string {
    return this.configText;
  }

  /** Loads the config file again and applies it; on error logs, keeps the old config and rethrows. */
  async reload(): Promise<void> {
    try {
      const loaded = await loadConfigAndText(this.options.configFile);
      // Rule files are read first: a bad one rejects the reload before anything changes.
      const ruleGroups = await loadRuleGroups(this.rules, loaded.config, this.options.externalUrl, this.logger);
      await RemoteReadStorage.check(loaded.config.remoteRead);
      await this.alerting.applyConfig(loaded.config);
      await this.remote.applyConfig(loaded.config.remoteWrite, loaded.config.global.externalLabels);
      await this.scrape.applyConfig(loaded.config);
      await this.rules.install(ruleGroups);
      for (const pool of this.pools) pool.setRemoteRead(remoteReadSettings(loaded.config));
      this.config = loaded.config;
      this.configText = loaded.text;
      this.lastReloadOk = true;
      this.lastConfigTimeMs = Date.now();
      this.logger.info('Completed loading of configuration file', { filename: this.options.configFile });
    } catch (err) {
      this.lastReloadOk = false;
      this.logger.error('Error reloading config', { err: err as Error, filename: this.options.configFile });
      throw err;
    }
  }

  /**
   * Stops scraping, then the notifier (draining its queue unless told not to), then serving, and
   * closes the TSDB (which flushes the WAL). Idempotent.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.logger.info('Stopping rule manager...');
      await this.rules.stop();
      this.logger.info('Stopping scrape manager...');
      await this.scrape.stop();
      this.logger.info('Stopping notification manager...');
      await this.alerting.stop();
      await this.remote.stop();
      await new Promise<void>((resolve) => {
        this.http.close(() => resolve());
        this.http.closeAllConnections();
      });
      await Promise.all(this.pools.map((p) => p.stop()));
      await this.tsdb.close();
      this.logger.info('See you next time!');
    })();
    return this.stopping;
  }
}

/** Block file pages each query worker keeps cached (the OS page cache holds the rest; see packages/tsdb/docs/block-reads.md). */
const WORKER_BLOCK_CACHE_BYTES = 16 * 1024 * 1024;
/**
 * Each query worker's V8 young generation (MiB; 64 MiB semi-spaces, V8's default is 16): what a
 * dashboard query selects and builds lives until it answers, so with small semi-spaces every
 * scavenge copied it and promoted it to the old generation (garbage collection was over a third
 * of a worker's CPU). See the README's measurements.
 */
const QUERY_WORKER_YOUNG_GENERATION_MB = 192;

/** What the query workers need of the configuration's `remote_read` entries. */
function remoteReadSettings(config: Config): RemoteReadSettings {
  return { configs: config.remoteRead, externalLabels: { ...config.global.externalLabels } };
}

/** The engine settings and input limits every query worker starts with. */
function queryWorkerConfig(options: ServerOptions, userAgent: string, remoteRead: RemoteReadSettings): Omit<WorkerConfig, 'cancelCell'> {
  const features = options.features;
  return {
    engine: {
      timeout: options.queryTimeout,
      maxSamples: options.queryMaxSamples,
      lookbackDelta: options.lookbackDelta,
      enableDelayedNameRemoval: features.has('promql-delayed-name-removal'),
      experimental: { functions: features.has('promql-experimental-functions'), durationExpr: features.has('promql-duration-expr'), extendedRangeSelectors: features.has('promql-extended-range-selectors') },
    },
    limits: { maxQueryLength: options.queryMaxLength, maxRegexLength: options.queryMaxRegexLength },
    blockCacheBytes: WORKER_BLOCK_CACHE_BYTES,
    userAgent,
    remoteRead,
    niceness: options.queryWorkerNiceness,
    warmUp: options.queryWorkerWarmUp,
  };
}

/** The TSDB's write-ahead log as remote_write reads it. */
export function tsdbWalSource(tsdb: Tsdb, logger: Logger): WalSource {
  return {
    openReader: (start, handler) => new WalTail(tsdb.walDir, { start, handler, logger }),
    onWrite: (listener) => tsdb.onWalWrite(listener),
  };
}

interface LoadedConfig {
  config: Config;
  text: string;
}

/** Loads and validates the config file, keeping its text for /api/v1/status/config. */
async function loadConfigAndText(path: string): Promise<LoadedConfig> {
  const config = await loadConfig(path);
  return { config, text: await readFile(path, 'utf8') };
}
