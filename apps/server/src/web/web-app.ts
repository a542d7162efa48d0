import { addApiRoutes, type ApiDeps } from '../api/routes.js';
import { addLifecycleRoutes, type Lifecycle } from './lifecycle.js';
import { sendText } from './response.js';
import { Router } from './router.js';

/** The routes every server instance has: lifecycle, the HTTP API and a landing page. */
export function createRouter(deps: ApiDeps, lifecycle: Lifecycle): Router {
  const router = new Router();
  addLifecycleRoutes(router, lifecycle);
  addApiRoutes(router, deps);
  router.add('GET', '/', ({ req, res }) =>
    sendText(req, res, 200, 'Pyrometer server: a Prometheus-compatible API is served under /api/v1 (e.g. /api/v1/query?query=up), metrics under /metrics.\n'),
  );
  return router;
}
