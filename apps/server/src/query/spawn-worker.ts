import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { WorkerConfig } from './protocol.js';
import { prepareCodeCacheHeader, startCachedWorker } from './worker-code-cache.js';

/**
 * The least size (MiB) of each worker's young-generation semi-spaces. V8 starts an isolate at 1 MiB
 * and rarely grows it for a worker, however high its limit; rule evaluation then scavenged every
 * ~1.5 MB allocated (about 130 scavenges a minute per worker). See the server README ("Rule
 * evaluation CPU"). The limit ({@link WorkerHeapLimits}) caps how far it may grow.
 */
const WORKER_MIN_SEMI_SPACE_MB = 16;

/** Whether this module runs from the TypeScript sources (tests, tsx) rather than the build. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/**
 * The worker's entry. From the build it is always the bundle that `pnpm run build` writes next to
 * main.js (scripts/bundle.mjs: worker-main and all it imports in one CommonJS script, so a worker
 * starts in about half the time of loading ~250 modules, see the README's "Idle RSS"), compiled
 * with the code cache written beside it at build time (worker-code-cache.ts). In the build this
 * module runs inside the main thread's bundle, dist/main.js, hence the path relative to that.
 * There is no fallback to the unbundled dist/query/worker-main.js: a build or an image without
 * the bundle fails its queries at once instead of quietly starting workers at the old speed.
 * From the sources it is worker-main.ts, so tests run what they edit and never a stale bundle.
 */
const WORKER_ENTRY = new URL(FROM_SOURCE ? './worker-main.ts' : './query-worker.cjs', import.meta.url);

/** V8 heap limits of a worker (MiB); an unset one keeps V8's default. */
export interface WorkerHeapLimits {
  maxOldGenerationSizeMb: number | undefined;
  maxYoungGenerationSizeMb: number | undefined;
}

/**
 * Starts one query worker thread running worker-main. From the build it is the bundle
 * ({@link WORKER_ENTRY}); from the TypeScript sources (vitest, tsx) the worker first registers
 * tsx's loader and resolves workspace packages through their `source` condition, as the tests'
 * main thread does. Source maps follow Node's setting: a worker inherits the process's
 * `--enable-source-maps` (NODE_OPTIONS included), and the bundle's map then names the TypeScript
 * sources in stack traces; it is off by default, as it costs each worker ~7 MiB (README). The old
 * generation limit makes a runaway query kill its worker (which the pool replaces), not the
 * server; the young generation limit sets how much a query allocates between two scavenges.
 */
export function spawnQueryWorker(config: WorkerConfig, limits: WorkerHeapLimits): Worker {
  if (!FROM_SOURCE) return spawnBundledWorker(fileURLToPath(WORKER_ENTRY), config, limits);
  const boot = `import { register } from ${JSON.stringify(tsxApiUrl())}; register(); await import(${JSON.stringify(WORKER_ENTRY.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { ...workerOptions(config, limits), execArgv: ['--conditions=source'] });
}

/**
 * Starts a query worker from the bundle at `bundle` (an absolute path) with its code cache, as
 * {@link spawnQueryWorker} does from the build; with `saveCodeCache` the worker writes the cache
 * once its warm-up has run through (what the build does, scripts/bundle.mjs). The build writes the
 * cache with this function so that its worker runs with the V8 flags the server's workers get:
 * V8 rejects a cache made under other flags.
 */
export function spawnBundledWorker(bundle: string, config: WorkerConfig, limits: WorkerHeapLimits, saveCodeCache = false): Worker {
  return startCachedWorker(bundle, workerOptions(config, limits), saveCodeCache);
}

/**
 * Does now, on the calling (main) thread, what the first worker's start would otherwise do on a
 * query's path and does not depend on the query: hashing the bundle for its code cache's header
 * (see worker-code-cache.ts). From the sources there is no bundle, and nothing to do.
 */
export function prepareQueryWorkerStart(): void {
  if (!FROM_SOURCE) prepareCodeCacheHeader(fileURLToPath(WORKER_ENTRY));
}

/** Sets the V8 flags of the workers started from now on, and gives their options. */
function workerOptions(config: WorkerConfig, limits: WorkerHeapLimits): { workerData: WorkerConfig; resourceLimits: ResourceLimits } {
  // V8 reads it when an isolate is created: it sizes the workers started from now on, never the
  // main thread's heap, which exists already. Worker options have no setting for it.
  setFlagsFromString(`--min-semi-space-size=${WORKER_MIN_SEMI_SPACE_MB}`);
  // The launch environment caps the main thread's semi-spaces (NODE_OPTIONS, launch-env.json), and
  // V8 lets that flag override a worker's young generation limit: back to V8's default (0, none),
  // so a worker's semi-spaces follow its limit again. Also what the build's code cache was made under.
  setFlagsFromString('--max-semi-space-size=0');
  // Likewise read when a context is created: the worker gets V8's `gc`, to give back its grown
  // young generation once idle (idle-heap.ts). The main thread's context exists already.
  setFlagsFromString('--expose-gc');
  const resourceLimits: ResourceLimits = {};
  if (limits.maxOldGenerationSizeMb !== undefined) resourceLimits.maxOldGenerationSizeMb = limits.maxOldGenerationSizeMb;
  if (limits.maxYoungGenerationSizeMb !== undefined) resourceLimits.maxYoungGenerationSizeMb = limits.maxYoungGenerationSizeMb;
  return { workerData: config, resourceLimits };
}

/** The ES module of tsx's register API, found through tsx's own export map. */
function tsxApiUrl(): string {
  const pkgPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api']!.import.default)).href;
}
