import type { CancelSignal, Engine, ParsedQuery } from '@pyrometer/promql';
import type { Queryable } from '@pyrometer/storage';
import type { QueryLimits } from '../api/limits.js';
import { labelNames, labelValues, series } from '../api/metadata-api.js';
import { formatQuery, queryExemplars } from '../api/misc-api.js';
import { parseQuery } from '../api/parse-query.js';
import { instantQuery, rangeQuery } from '../api/query-api.js';
import { envelopePieces, errorAnswer, JSON_TYPE, type ApiResult } from '../api/respond.js';
import { FEDERATE_CONTENT_TYPE, federate } from '../web/federate.js';
import { FormParams } from '../web/request.js';
import type { ApiRouteName, HttpTask } from './protocol.js';
import type { ResponseStream } from './response-stream.js';

/** What a worker answers API requests with. */
export interface HttpTaskEnv {
  engine: Engine;
  queryable: Queryable;
  limits: QueryLimits;
  signal: CancelSignal;
  /** Parses a query text, from the worker's cache of texts it parsed before (see parsed-query-cache.ts). */
  parse: (text: string) => ParsedQuery;
}

/**
 * Answers one API request inside a worker: parses the form, runs the endpoint's handler against
 * the worker's storage proxy and streams the envelope (or the error envelope with upstream's
 * status) through `out`. Everything here — parsing, regexes, evaluation, encoding — is off the
 * ingestion thread.
 */
export async function runHttpTask(task: HttpTask, env: HttpTaskEnv, out: ResponseStream): Promise<void> {
  const form = FormParams.fromParts(task.search, task.body === undefined ? undefined : new Uint8Array(task.body));
  if (task.route === 'federate') {
    const deps = { queryable: env.queryable, now: () => task.now, lookbackDelta: env.engine.options.lookbackDelta, externalLabels: task.externalLabels, limits: env.limits };
    const answer = await federate(deps, form);
    return out.send(answer.status, FEDERATE_CONTENT_TYPE, [answer.text]);
  }
  let result: ApiResult;
  try {
    result = await apiResult(task.route, task, form, env);
  } catch (err) {
    const { status, body } = errorAnswer(err);
    return out.send(status, JSON_TYPE, [body]);
  }
  await out.send(200, JSON_TYPE, envelopePieces(result));
}

function apiResult(route: Exclude<ApiRouteName, 'federate'>, task: HttpTask, form: FormParams, env: HttpTaskEnv): Promise<ApiResult> {
  const { queryable, limits } = env;
  switch (route) {
    case 'query':
      return instantQuery({ engine: env.engine, queryable, now: () => task.now, limits, signal: env.signal, deadline: task.deadline, parse: env.parse }, form);
    case 'query_range':
      return rangeQuery({ engine: env.engine, queryable, now: () => task.now, limits, signal: env.signal, deadline: task.deadline, parse: env.parse }, form);
    case 'series':
      return series(queryable, form, limits);
    case 'labels':
      return labelNames(queryable, form, limits);
    case 'label_values':
      return labelValues(queryable, form, task.params['name'] ?? '', limits);
    case 'format_query':
      return formatQuery(form, limits);
    case 'parse_query':
      return parseQuery(form, limits);
    case 'query_exemplars':
      return queryExemplars(form, limits);
  }
}
