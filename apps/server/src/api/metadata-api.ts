import { ApiError, ErrorType, jsonString, labelsJson, limitParam, MAX_TIME_MS, MIN_TIME_MS, timeParam } from '@pyrometer/http-api';
import { goQuote, isValidLabelName, Labels, type Matcher } from '@pyrometer/model';
import type { Queryable } from '@pyrometer/storage';
import type { FormParams } from '../web/request.js';
import { matchParamValues, type QueryLimits } from './limits.js';
import { parseMatchParams } from './match-param.js';
import type { ApiResult } from './respond.js';

const TRUNCATED_WARNING = 'results truncated due to limit';

/** GET/POST /api/v1/series: every series matching any `match[]` (required) in [start, end]. */
export async function series(queryable: Queryable, form: FormParams, limits: QueryLimits): Promise<ApiResult> {
  const matches = matchParamValues(form, limits);
  if (matches.length === 0) throw new ApiError(ErrorType.BadData, 'no match[] parameter provided');
  const matcherSets = parseMatchParams(matches, limits.maxRegexLength);
  const { start, end, limit } = rangeAndLimit(form);
  const querier = await queryable.querier(start, end);
  try {
    const found = new Map<string, Labels>();
    const warnings: string[] = [];
    for (const matchers of matcherSets) {
      const set = await querier.select(matchers, { sortSeries: true, hints: { start, end, func: 'series' } });
      warnings.push(...set.warnings);
      for (const s of set.series) found.set(s.labels.key(), s.labels);
    }
    let list = [...found.values()];
    if (matcherSets.length > 1) list.sort(Labels.compare);
    if (limit > 0 && list.length > limit) {
      list = list.slice(0, limit);
      warnings.push(TRUNCATED_WARNING);
    }
    return { data: jsonArrayPieces(list, labelsJson), warnings };
  } finally {
    await querier.close();
  }
}

/** GET/POST /api/v1/labels: label names, over series matching any `match[]` (all series without). */
export async function labelNames(queryable: Queryable, form: FormParams, limits: QueryLimits): Promise<ApiResult> {
  return stringList(queryable, form, limits, (querier, matchers) => querier.labelNames(matchers));
}

/** GET /api/v1/label/:name/values: values of one label; `U__`-escaped UTF-8 names are decoded. */
export async function labelValues(queryable: Queryable, form: FormParams, rawName: string, limits: QueryLimits): Promise<ApiResult> {
  const name = unescapeLabelName(rawName);
  if (!isValidLabelName(name)) throw new ApiError(ErrorType.BadData, `invalid label name: ${goQuote(name)}`);
  return stringList(queryable, form, limits, (querier, matchers) => querier.labelValues(name, matchers));
}

type Querier = Awaited<ReturnType<Queryable['querier']>>;

async function stringList(
  queryable: Queryable,
  form: FormParams,
  limits: QueryLimits,
  fetch: (q: Querier, m: Matcher[] | undefined) => Promise<{ values: readonly string[]; warnings: readonly string[] }>,
): Promise<ApiResult> {
  const matcherSets = parseMatchParams(matchParamValues(form, limits), limits.maxRegexLength);
  const { start, end, limit } = rangeAndLimit(form);
  const querier = await queryable.querier(start, end);
  try {
    const values = new Set<string>();
    const warnings: string[] = [];
    for (const matchers of matcherSets.length === 0 ? [undefined] : matcherSets) {
      const result = await fetch(querier, matchers);
      warnings.push(...result.warnings);
      for (const v of result.values) values.add(v);
    }
    let list = [...values].sort();
    if (limit > 0 && list.length > limit) {
      list = list.slice(0, limit);
      warnings.push(TRUNCATED_WARNING);
    }
    return { data: jsonArrayPieces(list, jsonString), warnings };
  } finally {
    await querier.close();
  }
}

/** A JSON array of `items` in pieces of up to a thousand elements. */
function* jsonArrayPieces<T>(items: readonly T[], encode: (item: T) => string): Generator<string> {
  if (items.length === 0) {
    yield '[]';
    return;
  }
  for (let from = 0; from < items.length; from += 1000) yield (from === 0 ? '[' : ',') + items.slice(from, from + 1000).map(encode).join(',');
  yield ']';
}

function rangeAndLimit(form: FormParams): { start: number; end: number; limit: number } {
  const start = timeParam('start', form.get('start'), MIN_TIME_MS);
  const end = timeParam('end', form.get('end'), MAX_TIME_MS);
  if (end < start) throw new ApiError(ErrorType.BadData, 'end timestamp must not be before start time');
  return { start, end, limit: limitParam(form.get('limit')) };
}

/**
 * Grafana's `escapeForUtf8Support`: a name starting with `U__` encodes non-legacy characters as
 * `_<hex code point>_` and a literal underscore as `__`.
 */
export function unescapeLabelName(name: string): string {
  if (!name.startsWith('U__')) return name;
  let out = '';
  const body = name.slice(3);
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '_') {
      out += c;
      continue;
    }
    if (body[i + 1] === '_') {
      out += '_';
      i++;
      continue;
    }
    const end = body.indexOf('_', i + 1);
    const code = end < 0 ? NaN : parseInt(body.slice(i + 1, end), 16);
    if (Number.isNaN(code)) return name;
    out += String.fromCodePoint(code);
    i = end;
  }
  return out;
}
