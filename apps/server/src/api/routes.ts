import { ApiError, ErrorType } from '@pyrometer/http-api';
import { pooledRoute, type PooledRouteDeps } from '../query/pooled-route.js';
import type { Router } from '../web/router.js';
import { apiRoute } from './respond.js';
import { buildInfoData, configData, flagsData, runtimeInfoData, type StatusSource } from './status-api.js';

/** Everything the core /api/v1 routes read: the query workers' pool and the status sources. */
export interface ApiDeps {
  pooled: PooledRouteDeps;
  status: StatusSource;
}

const GET_POST = ['GET', 'POST'] as const;

/**
 * Registers the query, metadata and status endpoints under /api/v1 with upstream's methods. Every
 * endpoint that parses PromQL or matchers is answered by a query worker (src/query).
 */
export function addApiRoutes(router: Router, deps: ApiDeps): void {
  const pooled = deps.pooled;
  router.add(GET_POST, '/api/v1/query', pooledRoute(pooled, 'query'));
  router.add(GET_POST, '/api/v1/query_range', pooledRoute(pooled, 'query_range'));
  router.add(GET_POST, '/api/v1/series', pooledRoute(pooled, 'series'));
  // Upstream answers DELETE /api/v1/series with exactly this error (deletion lives in the admin API).
  router.add('DELETE', '/api/v1/series', apiRoute(async () => {
    throw new ApiError(ErrorType.Internal, 'not implemented');
  }));
  router.add(GET_POST, '/api/v1/labels', pooledRoute(pooled, 'labels'));
  router.add('GET', '/api/v1/label/:name/values', pooledRoute(pooled, 'label_values'));
  router.add(GET_POST, '/api/v1/format_query', pooledRoute(pooled, 'format_query'));
  router.add(GET_POST, '/api/v1/parse_query', pooledRoute(pooled, 'parse_query'));
  router.add(GET_POST, '/api/v1/query_exemplars', pooledRoute(pooled, 'query_exemplars'));
  router.add('GET', '/federate', pooledRoute(pooled, 'federate'));
  router.add('GET', '/api/v1/status/buildinfo', apiRoute(async () => buildInfoData(deps.status)));
  router.add('GET', '/api/v1/status/flags', apiRoute(async () => flagsData(deps.status)));
  router.add('GET', '/api/v1/status/config', apiRoute(async () => configData(deps.status)));
  router.add('GET', '/api/v1/status/runtimeinfo', apiRoute(async () => runtimeInfoData(deps.status, Date.now())));
}
