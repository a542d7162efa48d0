import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { WorkerConfig } from './protocol.js';

/**
 * The least size (MiB) of each worker's young-generation semi-spaces. V8 starts an isolate at 1 MiB
 * and rarely grows it for a worker, however high its limit; rule evaluation then scavenged every
 * ~1.5 MB allocated (about 130 scavenges a minute per worker). See the server README ("Rule
 * evaluation CPU"). The limit ({@link WorkerHeapLimits}) caps how far it may grow.
 */
const WORKER_MIN_SEMI_SPACE_MB = 16;

/** Whether this module runs from the TypeScript sources (tests, tsx) rather than the build. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** V8 heap limits of a worker (MiB); an unset one keeps V8's default. */
export interface WorkerHeapLimits {
  maxOldGenerationSizeMb: number | undefined;
  maxYoungGenerationSizeMb: number | undefined;
}

/**
 * Starts one query worker thread running worker-main. From the build it is plain JavaScript; from
 * the TypeScript sources (vitest, tsx) the worker first registers tsx's loader and resolves
 * workspace packages through their `source` condition, as the tests' main thread does. The old
 * generation limit makes a runaway query kill its worker (which the pool replaces), not the
 * server; the young generation limit sets how much a query allocates between two scavenges.
 */
export function spawnQueryWorker(config: WorkerConfig, limits: WorkerHeapLimits): Worker {
  // V8 reads it when an isolate is created: it sizes the workers started from now on, never the
  // main thread's heap, which exists already. Worker options have no setting for it.
  setFlagsFromString(`--min-semi-space-size=${WORKER_MIN_SEMI_SPACE_MB}`);
  // Likewise read when a context is created: the worker gets V8's `gc`, to give back its grown
  // young generation once idle (idle-heap.ts). The main thread's context exists already.
  setFlagsFromString('--expose-gc');
  const entry = new URL(FROM_SOURCE ? './worker-main.ts' : './worker-main.js', import.meta.url);
  const resourceLimits: ResourceLimits = {};
  if (limits.maxOldGenerationSizeMb !== undefined) resourceLimits.maxOldGenerationSizeMb = limits.maxOldGenerationSizeMb;
  if (limits.maxYoungGenerationSizeMb !== undefined) resourceLimits.maxYoungGenerationSizeMb = limits.maxYoungGenerationSizeMb;
  const options = { workerData: config, resourceLimits };
  if (!FROM_SOURCE) return new Worker(entry, options);
  const boot = `import { register } from ${JSON.stringify(tsxApiUrl())}; register(); await import(${JSON.stringify(entry.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { ...options, execArgv: ['--conditions=source'] });
}

/** The ES module of tsx's register API, found through tsx's own export map. */
function tsxApiUrl(): string {
  const pkgPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api']!.import.default)).href;
}
