import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A query worker's bundle compiled with V8's code cache: the bytecode of the functions a warmed-up
 * worker had compiled, written at build time next to the bundle (scripts/bundle.mjs), so a fresh
 * worker neither parses the 1.8 MB bundle nor compiles the engine's functions lazily one by one
 * during its first queries (server README, "A fresh worker's first queries").
 *
 * The cache file is a header line (JSON: the bundle's SHA-256, Node's version and the platform),
 * then V8's data. A cache whose header does not match the bundle and this Node is ignored (V8's
 * own check compares the source's length only, and a cache of other code would run that code);
 * V8 rejects data of another V8 version or other V8 flags by itself. Either way the bundle is
 * compiled from its text as without a cache: a stale cache costs time, never correctness.
 */

/** Where the loader publishes, on the worker's global object, what it did (see {@link WorkerCodeCache}). */
const GLOBAL_KEY = 'pyrometer.worker-code-cache';

/** What the loader publishes in the worker: whether V8 took the cache, and how to write one. */
interface WorkerCodeCache {
  /** Whether the bundle was compiled with the cache file's data. */
  accepted: boolean;
  /** Writes the cache file from what this worker has compiled so far; present only when asked to (`save`). */
  save?: () => void;
}

/** The code cache file of the bundle at `bundle`. */
export function codeCachePath(bundle: string): string {
  return `${bundle}.code-cache`;
}

/**
 * Starts a worker thread running the bundle at `bundle` (an absolute path to a `.cjs` file),
 * compiled with its code cache when that is valid. With source maps on (`--enable-source-maps`,
 * which a worker inherits) it is loaded by Node's CommonJS loader instead, without the cache:
 * Node maps stack traces of the files it loads, not of code compiled through `vm`. With `save`,
 * the worker can write the cache once it has run what later workers should find compiled
 * ({@link saveWorkerCodeCache}); it then posts `{ type: 'code-cache-saved' }`. A missing or unreadable bundle fails the worker's start
 * (its `error` event); a missing cache file is no error.
 */
export function startCachedWorker(bundle: string, options: WorkerOptions, save = false): Worker {
  const args = JSON.stringify({ bundle, cache: codeCachePath(bundle), header: cacheHeader(bundle), save, key: GLOBAL_KEY });
  return new Worker(`(${loadBundle.toString()})(${args});`, { ...options, eval: true });
}

/**
 * Computes the cache header of the bundle at `bundle` now, as the next {@link startCachedWorker}
 * of it would (reading and hashing 1.8 MB: ~4 CPU-ms of the calling thread), so that start finds
 * it computed: the server calls it once it is ready, off the first query's path. The header is
 * kept for that version of the file only (its size and change times): a bundle replaced later is
 * hashed again by the start that meets it. Does nothing when the bundle cannot be read.
 */
export function prepareCodeCacheHeader(bundle: string): void {
  cacheHeader(bundle);
}

/**
 * The last cache header computed, and of which bundle file (path, size, change time): hashed here,
 * once per build of the bundle, so a worker neither loads `node:crypto` nor hashes 1.8 MB to start.
 */
let lastHeader: { file: string; header: string } | undefined;

/** The header a valid cache of `bundle` starts with; empty when the bundle cannot be read (the worker then fails to start on its own). */
function cacheHeader(bundle: string): string {
  try {
    const stat = statSync(bundle, { bigint: true });
    const file = `${bundle}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
    if (lastHeader?.file !== file) {
      const sha256 = createHash('sha256').update(readFileSync(bundle)).digest('hex');
      lastHeader = { file, header: JSON.stringify({ sha256, node: process.version, platform: `${process.platform}-${process.arch}` }) };
    }
    return lastHeader.header;
  } catch {
    return '';
  }
}

/**
 * Writes the worker's code cache if its loader was asked to ({@link startCachedWorker}'s `save`);
 * otherwise, and in a worker not started from a bundle, does nothing. Call it once the worker has
 * run the code its successors should find compiled (the end of its warm-up).
 */
export function saveWorkerCodeCache(): void {
  ((globalThis as Record<string, unknown>)[GLOBAL_KEY] as WorkerCodeCache | undefined)?.save?.();
}

/** Whether this worker's bundle was compiled with its code cache (false outside a bundle). */
export function codeCacheAccepted(): boolean {
  return ((globalThis as Record<string, unknown>)[GLOBAL_KEY] as WorkerCodeCache | undefined)?.accepted ?? false;
}

/**
 * Runs inside the new worker (its source is the worker's eval code, so it uses nothing from this
 * module): compiles the bundle as a CommonJS function, with the cache's data when its header fits,
 * and runs it.
 */
function loadBundle({ bundle, cache, header, save, key }: { bundle: string; cache: string; header: string; save: boolean; key: string }): void {
  const fs = process.getBuiltinModule('node:fs');
  const vm = process.getBuiltinModule('node:vm');
  const { createRequire } = process.getBuiltinModule('node:module');
  const { dirname } = process.getBuiltinModule('node:path');
  const { parentPort } = process.getBuiltinModule('node:worker_threads');
  if (process.sourceMapsEnabled && !save) {
    createRequire(bundle)(bundle);
    return;
  }
  const source = fs.readFileSync(bundle);
  let cachedData: Buffer | undefined;
  try {
    const file = fs.readFileSync(cache);
    const end = file.indexOf(10);
    if (header !== '' && end > 0 && file.subarray(0, end).toString() === header) cachedData = file.subarray(end + 1);
  } catch {
    // No cache file (or unreadable): compiled from the text.
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source.toString()}\n})`, { filename: bundle, ...(cachedData === undefined ? {} : { cachedData }) });
  const state: { accepted: boolean; save?: () => void } = { accepted: cachedData !== undefined && !script.cachedDataRejected };
  if (save) {
    state.save = () => {
      fs.writeFileSync(cache, Buffer.concat([Buffer.from(`${header}\n`), script.createCachedData()]));
      parentPort?.postMessage({ type: 'code-cache-saved' });
    };
  }
  (globalThis as Record<string, unknown>)[key] = state;
  const module = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
}
