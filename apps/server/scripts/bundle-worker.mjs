// Bundles the built query-worker entry (dist/query/worker-main.js, from tsc) and everything it
// imports — workspace packages and undici included — into one ES module, dist/query-worker.js,
// with a source map chained through tsc's maps back to the TypeScript sources. A worker then
// starts by compiling one file instead of resolving and loading ~250 through Node's ES module
// loader (see the README, "Idle RSS", session 27). Run by the package's `build` script after tsc.
import { build } from 'esbuild';
import { join } from 'node:path';

const dist = join(import.meta.dirname, '..', 'dist');

await build({
  entryPoints: [join(dist, 'query', 'worker-main.js')],
  outfile: join(dist, 'query-worker.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Linked (`//# sourceMappingURL=`), without the sources' text: the map names our files and
  // lines, and stays out of memory unless Node's source maps are turned on.
  sourcemap: 'linked',
  sourcesContent: false,
  // undici is CommonJS and `require`s Node's modules; an ES module has no `require` of its own.
  banner: { js: "import { createRequire as __pyrometerCreateRequire } from 'node:module'; const require = __pyrometerCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
