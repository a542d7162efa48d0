import type { IncomingMessage, ServerResponse } from 'node:http';
import { defaultAssetsDir, UiAssets, type UiAsset } from './ui-assets.js';

/** Which of the three apps' pages the bundle shows. */
export type UiApp = 'prometheus' | 'alertmanager' | 'pushgateway';

/** Options of {@link createUiHandler}. */
export interface UiHandlerOptions {
  app: UiApp;
  /**
   * The path under which browsers reach the app, without a trailing slash: '' at the root, or
   * the path of `--web.external-url` (e.g. '/prometheus' behind a proxy). Links and asset URLs
   * in the pages are relative to it.
   */
  basePath: string;
  /** The built bundle's folder; defaults to this package's `dist/ui`. */
  assetsDir?: string;
}

/**
 * Serves the UI of one app. `routes` are the paths it answers (router patterns with `*rest`
 * for the rest of a path), relative to the app's route prefix; `serve` answers one of them.
 * The contract: page paths answer index.html (the browser's router then shows the page), `/`
 * redirects where the app's start page is elsewhere, `assets/*` answers bundle files with
 * long-lived caching and gzip; without a built bundle every page answers 404 with a page that
 * says how to build it, so the apps run (and their tests pass) without the UI.
 */
export interface UiHandler {
  readonly routes: readonly string[];
  /** True when `path` (after the route prefix) is one of the UI's paths. */
  handles(path: string): boolean;
  serve(req: IncomingMessage, res: ServerResponse, path: string): void;
}

/** Page paths of each app, as the browser's router knows them (see src/*\/routes.ts). */
const PAGES: Record<UiApp, { pages: readonly string[]; start: string }> = {
  prometheus: {
    pages: ['/query', '/graph', '/alerts', '/rules', '/targets', '/service-discovery', '/status', '/flags', '/config', '/tsdb-status', '/alertmanager-discovery', '/flink', '/flink/*rest'],
    start: '/query',
  },
  alertmanager: { pages: ['/alerts', '/silences', '/silences/*rest', '/receivers', '/status'], start: '/' },
  pushgateway: { pages: ['/status'], start: '/' },
};

export function createUiHandler(given: UiHandlerOptions): UiHandler {
  // '/' and '/prefix/' mean '' and '/prefix': a trailing slash would make `<base href="//">`.
  const options = { ...given, basePath: given.basePath.replace(/\/+$/, '') };
  const assets = new UiAssets(options.assetsDir ?? defaultAssetsDir());
  const { pages, start } = PAGES[options.app];
  const routes = ['/', ...pages, '/favicon.svg', '/assets/*file'];
  const exact = new Set(routes.filter((r) => !r.includes('*')));
  const prefixes = routes.filter((r) => r.includes('*')).map((r) => r.slice(0, r.indexOf('*')));
  let index: string | undefined;

  return {
    routes,
    handles: (path) => exact.has(path) || prefixes.some((p) => path.startsWith(p) && path.length > p.length),
    serve(req, res, path) {
      if (!assets.built()) return sendNotBuilt(res, options.app);
      if (path === '/' && start !== '/') {
        const query = new URL(req.url ?? '/', 'http://x').search;
        res.writeHead(302, { Location: `${options.basePath}${start}${query}` });
        res.end();
        return;
      }
      if (path.startsWith('/assets/') || path === '/favicon.svg') {
        const asset = assets.get(path.slice(1));
        if (asset === undefined) return sendText(res, 404, '404 page not found\n');
        return sendAsset(req, res, asset);
      }
      index ??= templateIndex(assets.indexHtml() ?? '', options);
      sendAsset(req, res, { body: Buffer.from(index), gzip: undefined, contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' });
    },
  };
}

const TITLES: Record<UiApp, string> = { prometheus: 'Pyrometer', alertmanager: 'Alertmanager · Pyrometer', pushgateway: 'Pushgateway · Pyrometer' };

/** index.html with the app's name, its base path (`<base href>`, first in <head>) and title. */
function templateIndex(html: string, options: UiHandlerOptions): string {
  const head = `<head>\n    <base href="${escapeHtml(options.basePath)}/" />\n    <meta name="pyrometer-app" content="${options.app}" />`;
  return html.replace('<head>', head).replace(/<title>[^<]*<\/title>/, `<title>${TITLES[options.app]}</title>`);
}

function sendAsset(req: IncomingMessage, res: ServerResponse, asset: UiAsset): void {
  const gzip = asset.gzip !== undefined && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? asset.gzip! : asset.body;
  res.writeHead(200, {
    'Content-Type': asset.contentType,
    'Content-Length': String(body.length),
    'Cache-Control': asset.cacheControl,
    Vary: 'Accept-Encoding',
    ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function sendNotBuilt(res: ServerResponse, app: UiApp): void {
  const body = `<!doctype html><html><head><meta charset="utf-8"><title>UI not built</title></head><body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>The web UI is not built</h1>
<p>This ${app === 'prometheus' ? 'server' : app} serves its API, but the browser bundle (<code>apps/web/dist/ui</code>) is missing.</p>
<p>Build it from the repository root with <code>npx pnpm --filter @pyrometer/web build</code> (or <code>npm start</code>, which builds everything), then reload this page.</p>
</body></html>\n`;
  res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
