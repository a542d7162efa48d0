// Bundles the server's two entries, as tsc built them, each with everything it imports — the
// workspace packages' builds and undici — into one ES module, so a thread starts by compiling one
// file instead of resolving and loading hundreds through Node's ES module loader (see the README,
// "Idle RSS", session 27). Run by the package's `build` script after tsc:
//   dist/main.js          the server's main thread, written over tsc's main.js (every start path runs it)
//   dist/query-worker.js  a query worker (dist/query/worker-main.js and its imports)
// Each gets a source map chained through tsc's maps back to the TypeScript sources.
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
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Linked (`//# sourceMappingURL=`), without the sources' text: the map names our files and
  // lines, and stays out of memory unless Node's source maps are turned on.
  sourcemap: 'linked',
  sourcesContent: false,
  banner: { js: BANNER },
  logLevel: 'warning',
});

await Promise.all([
  build({ ...common, entryPoints: [main], outfile: main, allowOverwrite: true }),
  build({ ...common, entryPoints: [join(dist, 'query', 'worker-main.js')], outfile: join(dist, 'query-worker.js') }),
]);
