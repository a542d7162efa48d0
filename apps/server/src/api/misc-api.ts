import { jsonString } from '@pyrometer/http-api';
import { prettyPrint } from '@pyrometer/promql/parser';
import type { FormParams } from '../web/request.js';
import type { QueryLimits } from './limits.js';
import { parseQueryParam } from './parse-query.js';
import type { ApiResult } from './respond.js';

/** GET/POST /api/v1/format_query: the query pretty-printed as upstream's `Pretty()` does. */
export async function formatQuery(form: FormParams, limits: QueryLimits): Promise<ApiResult> {
  return { data: jsonString(prettyPrint(parseQueryParam(form, limits))) };
}

/**
 * GET/POST /api/v1/query_exemplars. Exemplars are not stored yet (the scraper parses and drops
 * them), so every valid query has no exemplars: `[]`. The query is still validated.
 */
export async function queryExemplars(form: FormParams, limits: QueryLimits): Promise<ApiResult> {
  parseQueryParam(form, limits);
  return { data: '[]' };
}
