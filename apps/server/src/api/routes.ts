import { ApiError, ErrorType } from '@pyrometer/http-api';
import type { Router } from '../web/router.js';
import { labelNames, labelValues, series } from './metadata-api.js';
import { parseQuery } from './parse-query.js';
import { formatQuery, queryExemplars } from './misc-api.js';
import { instantQuery, rangeQuery, type QueryApiDeps } from './query-api.js';
import { apiRoute } from './respond.js';
import { buildInfoData, configData, flagsData, runtimeInfoData, type StatusSource } from './status-api.js';

/** Everything the core /api/v1 routes read. */
export interface ApiDeps extends QueryApiDeps {
  status: StatusSource;
}

const GET_POST = ['GET', 'POST'] as const;

/** Registers the query, metadata and status endpoints under /api/v1 with upstream's methods. */
export function addApiRoutes(router: Router, deps: ApiDeps): void {
  router.add(GET_POST, '/api/v1/query', apiRoute((_, form) => instantQuery(deps, form)));
  router.add(GET_POST, '/api/v1/query_range', apiRoute((_, form) => rangeQuery(deps, form)));
  router.add(GET_POST, '/api/v1/series', apiRoute((_, form) => series(deps.queryable, form)));
  // Upstream answers DELETE /api/v1/series with exactly this error (deletion lives in the admin API).
  router.add('DELETE', '/api/v1/series', apiRoute(async () => {
    throw new ApiError(ErrorType.Internal, 'not implemented');
  }));
  router.add(GET_POST, '/api/v1/labels', apiRoute((_, form) => labelNames(deps.queryable, form)));
  router.add('GET', '/api/v1/label/:name/values', apiRoute((ctx, form) => labelValues(deps.queryable, form, ctx.params['name']!)));
  router.add(GET_POST, '/api/v1/format_query', apiRoute((_, form) => formatQuery(form)));
  router.add(GET_POST, '/api/v1/parse_query', apiRoute((_, form) => parseQuery(form)));
  router.add(GET_POST, '/api/v1/query_exemplars', apiRoute((_, form) => queryExemplars(form)));
  router.add('GET', '/api/v1/status/buildinfo', apiRoute(async () => buildInfoData(deps.status)));
  router.add('GET', '/api/v1/status/flags', apiRoute(async () => flagsData(deps.status)));
  router.add('GET', '/api/v1/status/config', apiRoute(async () => configData(deps.status)));
  router.add('GET', '/api/v1/status/runtimeinfo', apiRoute(async () => runtimeInfoData(deps.status, Date.now())));
}
