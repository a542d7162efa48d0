// Bundles the server's two entries, as tsc built them, each with everything it imports — the
// workspace packages' builds and undici — into one file, so a thread starts by compiling one
// file instead of resolving and loading hundreds through Node's ES module loader (see the README,
// "Idle RSS", session 27). Run by the package's `build` script after tsc:
//   dist/main.js          the server's main thread, written over tsc's main.js (every start path runs it)
//   dist/query-worker.cjs a query worker (dist/query/worker-main.js and its imports), as a CommonJS
//                         script: workers compile it with V8's code cache (src/query/worker-code-cache.ts)
//   dist/query-worker.cjs.code-cache  that cache, written by a worker of this build once warmed up
// Each bundle gets a source map chained through tsc's maps back to the TypeScript sources.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = join(import.meta.dirname, '..', 'dist');
/** undici is CommonJS and `require`s Node's modules; an ES module has no `require` of its own. */
const BANNER = "import { createRequire as __pyrometerCreateRequire } from 'node:module'; const require = __pyrometerCreateRequire(import.meta.url);";

const main = join(dist, 'main.js');
if (readFileSync(main, 'utf8').includes(BANNER)) throw new Error(`${main} is a bundle already: run tsc first (pnpm run build)`);

const common = /** @type {const} */ ({
  bundle: true,
  platform: 'node',
  target: 'node20',
  // Linked (`//# sourceMappingURL=`), without the sources' text: the map names our files and
  // lines, and stays out of memory unless Node's source maps are turned on.
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
});

const worker = join(dist, 'query-worker.cjs');
await Promise.all([
  build({ ...common, format: 'esm', banner: { js: BANNER }, entryPoints: [main], outfile: main, allowOverwrite: true }),
  build({ ...common, format: 'cjs', entryPoints: [join(dist, 'query', 'worker-main.js')], outfile: worker }),
]);
await writeWorkerCodeCache();

/**
 * Starts a worker from the new bundle as the server does (tsc's spawn-worker.js, after the flags
 * main.js sets: same V8 flags, else V8 would reject the cache), gives it one query, and waits while its warm-up runs through
 * the dashboard shapes and it writes the code cache of everything compiled by then.
 */
async function writeWorkerCodeCache() {
  const { spawnBundledWorker } = await import(join(dist, 'query', 'spawn-worker.js'));
  const { setServerV8Flags } = await import(join(dist, 'v8-flags.js'));
  setServerV8Flags();
  const { TEST_WORKER_CONFIG } = await import(join(dist, 'query', 'test-worker-config.js'));
  const config = { ...TEST_WORKER_CONFIG, niceness: 0, warmUp: true, cancelCell: new SharedArrayBuffer(4) };
  const thread = spawnBundledWorker(worker, config, { maxOldGenerationSizeMb: undefined, maxYoungGenerationSizeMb: undefined }, true);
  const timeout = setTimeout(() => thread.emit('error', new Error('the worker wrote no code cache in 60 s')), 60_000);
  try {
    const saved = new Promise((resolve, reject) => {
      thread.on('message', (msg) => {
        if (msg.type === 'ready') thread.postMessage({ type: 'task', id: 1, task: { kind: 'instant', query: 'vector(1)', time: 0 } });
        if (msg.type === 'failed') reject(new Error(`the worker's query failed: ${msg.message}`));
        if (msg.type === 'code-cache-saved') resolve(undefined);
      });
      thread.on('error', reject);
      thread.on('exit', (code) => reject(new Error(`the worker exited (${code}) before writing its code cache`)));
    });
    await saved;
  } finally {
    clearTimeout(timeout);
    await thread.terminate();
  }
}
