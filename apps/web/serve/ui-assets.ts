import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One file of the built bundle, ready to send: its bytes, gzip bytes when worth it, type and caching. */
export interface UiAsset {
  body: Buffer;
  gzip: Buffer | undefined;
  contentType: string;
  cacheControl: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Files smaller than this are sent as they are. */
const GZIP_MIN_BYTES = 1024;

/**
 * The built bundle's folder: `dist/ui` of this package, found through the package's own name
 * rather than this module's folder, so it is the same whether this module runs from its
 * TypeScript source, from its build, or inside a server bundled into one file elsewhere (apps/server's
 * dist/main.js, which resolves it from its own node_modules).
 */
export function defaultAssetsDir(): string {
  const packageJson = createRequire(import.meta.url).resolve('@pyrometer/web/package.json');
  return join(dirname(packageJson), 'dist', 'ui');
}

/**
 * Reads files of the built bundle on demand and keeps them (with their gzip form) in memory: the
 * bundle does not change while a process runs. Paths that leave the folder are refused.
 */
export class UiAssets {
  private readonly cache = new Map<string, UiAsset | undefined>();

  constructor(readonly dir: string) {}

  /** True when the bundle has been built (its index.html exists). */
  built(): boolean {
    return existsSync(join(this.dir, 'index.html'));
  }

  /** The file at a bundle-relative path such as `assets/index-abc.js`, or undefined. */
  get(relative: string): UiAsset | undefined {
    if (this.cache.has(relative)) return this.cache.get(relative);
    const asset = this.load(relative);
    this.cache.set(relative, asset);
    return asset;
  }

  /** index.html as built, the text the apps template (see ui-handler). */
  indexHtml(): string | undefined {
    const path = join(this.dir, 'index.html');
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  }

  private load(relative: string): UiAsset | undefined {
    const path = normalize(join(this.dir, relative));
    if (!path.startsWith(this.dir + sep)) return undefined;
    if (!existsSync(path) || !statSync(path).isFile()) return undefined;
    const body = readFileSync(path);
    const immutable = relative.startsWith('assets/');
    return {
      body,
      gzip: body.length >= GZIP_MIN_BYTES ? gzipSync(body) : undefined,
      contentType: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      cacheControl: immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
  }
}
