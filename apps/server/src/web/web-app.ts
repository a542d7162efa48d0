import { createUiHandler } from '@pyrometer/web/serve';
import { addApiRoutes, type ApiDeps } from '../api/routes.js';
import { addLifecycleRoutes, type Lifecycle } from './lifecycle.js';
import { Router } from './router.js';

/**
 * The routes every server instance has: lifecycle, the HTTP API and the web UI (`/` redirects
 * to `/query`; the old Prometheus paths open their pages). `uiBasePath` is the path browsers
 * reach the server under (see {@link uiBasePath}); routes match below the route prefix.
 */
export function createRouter(deps: ApiDeps, lifecycle: Lifecycle, uiBasePath = ''): Router {
  const router = new Router();
  addLifecycleRoutes(router, lifecycle);
  addApiRoutes(router, deps);
  const ui = createUiHandler({ app: 'prometheus', basePath: uiBasePath });
  // A page route is its own path; for `/assets/*file` (and `/flink/*rest`) the rest comes from the params.
  for (const route of ui.routes) router.add('GET', route, ({ req, res, params }) => ui.serve(req, res, route.replace(/\*(\w+)$/, (_, name: string) => params[name] ?? '')));
  return router;
}

/**
 * The path browsers use to reach the server: the path of `--web.external-url` when it has one (a
 * proxy may strip it before the request arrives), otherwise the route prefix.
 */
export function uiBasePath(externalUrl: string, routePrefix: string): string {
  const external = new URL(externalUrl).pathname.replace(/\/+$/, '');
  return external !== '' ? external : routePrefix;
}
