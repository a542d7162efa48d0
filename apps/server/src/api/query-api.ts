import { ApiError, ErrorType, limitParam, parseDurationParam, timeParam } from '@pyrometer/http-api';
import { Engine, PromQLError, type CancelSignal, type ParsedQuery, type Query, type QueryResult, type Value } from '@pyrometer/promql';
import type { Queryable } from '@pyrometer/storage';
import type { FormParams } from '../web/request.js';
import { queryDataPieces } from './encode-value.js';
import { queryParam, type QueryLimits } from './limits.js';
import type { ApiResult } from './respond.js';

/**
 * What the query endpoints need: the engine, the storage to query, a clock (ms), the input limits
 * and the signal that cancels the evaluation (they run in a query worker, see src/query).
 */
export interface QueryApiDeps {
  engine: Engine;
  queryable: Queryable;
  now: () => number;
  limits: QueryLimits;
  signal?: CancelSignal;
  /** When the request times out (ms since the epoch, `Date.now()`'s clock); shortens the engine's timeout. */
  deadline?: number;
  /**
   * Parses and validates a query text as `engine.parseQuery` does (throwing its errors), from a
   * cache of texts seen before; unset: every request parses its text.
   */
  parse?: (text: string) => ParsedQuery;
}

/** Upstream's cap on the points a range query may return per series. */
const MAX_POINTS = 11_000;
const TRUNCATED_WARNING = 'results truncated due to limit';

/** GET/POST /api/v1/query: `query`, `time` (default now), `timeout`, `limit`, `lookback_delta`, `stats`. */
export async function instantQuery(deps: QueryApiDeps, form: FormParams): Promise<ApiResult> {
  const t = timeParam('time', form.get('time'), deps.now());
  const engine = engineFor(deps, form);
  const text = queryParam(form, deps.limits);
  const query = prepare(() => engine.instantQuery(deps.queryable, deps.parse?.(text) ?? text, t));
  return run(query, form, deps.signal);
}

/** GET/POST /api/v1/query_range: `query`, `start`, `end`, `step` (all required), plus the instant query's options. */
export async function rangeQuery(deps: QueryApiDeps, form: FormParams): Promise<ApiResult> {
  const start = timeParam('start', form.get('start') ?? '', NaN);
  const end = timeParam('end', form.get('end') ?? '', NaN);
  if (end < start) throw new ApiError(ErrorType.BadData, 'end timestamp must not be before start time');
  const step = durationParam('step', form.get('step') ?? '');
  if (!(step > 0)) throw new ApiError(ErrorType.BadData, 'zero or negative query resolution step widths are not accepted. Try a positive integer');
  if ((end - start) / step > MAX_POINTS) throw new ApiError(ErrorType.BadData, 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
  const engine = engineFor(deps, form);
  const text = queryParam(form, deps.limits);
  const query = prepare(() => engine.rangeQuery(deps.queryable, deps.parse?.(text) ?? text, start, end, step));
  return run(query, form, deps.signal);
}

/** The engine for this request: the shared one, or a copy with the request's timeout (what is left of it) / lookback delta. */
function engineFor(deps: QueryApiDeps, form: FormParams): Engine {
  const engine = deps.engine;
  const overrides: { timeout?: number; lookbackDelta?: number } = {};
  const timeout = form.get('timeout');
  if (timeout !== undefined && timeout !== '') overrides.timeout = Math.min(engine.options.timeout, durationParam('timeout', timeout));
  if (deps.deadline !== undefined) overrides.timeout = Math.max(0, Math.min(overrides.timeout ?? engine.options.timeout, deps.deadline - Date.now()));
  const lookback = form.get('lookback_delta');
  if (lookback !== undefined && lookback !== '') overrides.lookbackDelta = durationParam('lookback_delta', lookback);
  return Object.keys(overrides).length === 0 ? engine : new Engine({ ...engine.options, ...overrides });
}

function prepare(create: () => Query): Query {
  try {
    return create();
  } catch (err) {
    if (err instanceof PromQLError && err.code === 'bad_data' && /parse error|^\d+:\d+/.test(err.message)) {
      throw new ApiError(ErrorType.BadData, `invalid parameter "query": ${err.message}`, { cause: err });
    }
    throw err;
  }
}

async function run(query: Query, form: FormParams, signal: CancelSignal | undefined): Promise<ApiResult> {
  const limit = limitParam(form.get('limit'));
  const result = await query.exec(signal);
  const { value, truncated } = applyLimit(result.value, limit);
  const warnings = truncated ? [...result.warnings, TRUNCATED_WARNING] : result.warnings;
  const stats = form.get('stats') ? statsJson(result) : undefined;
  return { data: queryDataPieces(value, stats), warnings, infos: result.infos };
}

function applyLimit(value: Value, limit: number): { value: Value; truncated: boolean } {
  if (limit === 0) return { value, truncated: false };
  if (value.type === 'vector' && value.samples.length > limit) return { value: { type: 'vector', samples: value.samples.slice(0, limit) }, truncated: true };
  if (value.type === 'matrix' && value.series.length > limit) return { value: { type: 'matrix', series: value.series.slice(0, limit) }, truncated: true };
  return { value, truncated: false };
}

function statsJson(result: QueryResult): string {
  return JSON.stringify({ timings: result.stats.timings, samples: result.stats.samples });
}

function durationParam(name: string, value: string): number {
  try {
    return parseDurationParam(value);
  } catch (err) {
    throw new ApiError(ErrorType.BadData, `invalid parameter "${name}": ${(err as Error).message}`, { cause: err });
  }
}
