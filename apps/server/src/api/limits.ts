import { ApiError, ErrorType } from '@pyrometer/http-api';
import type { FormParams } from '../web/request.js';

/**
 * Input limits of the query endpoints, each 0 for none; lengths in UTF-16 code units (characters
 * for ASCII). They bound what one request can cost a query worker: a 4 MB query took the parser
 * 22 s and 1.4 GB, a 100k-alternative regex 4.6 s of re2js compilation.
 */
export interface QueryLimits {
  /** `--query.max-length`: the longest `query` or `match[]` value. */
  maxQueryLength: number;
  /** `--query.max-regex-length`: the longest pattern of a `=~`/`!~` matcher. */
  maxRegexLength: number;
}

/** The `query` parameter ('' when absent), refused with bad_data when longer than the limit. */
export function queryParam(form: FormParams, limits: QueryLimits): string {
  return checkLength('query', form.get('query') ?? '', limits);
}

/** Every `match[]` value, each refused with bad_data when longer than the limit. */
export function matchParamValues(form: FormParams, limits: QueryLimits): string[] {
  return form.getAll('match[]').map((v) => checkLength('match[]', v, limits));
}

function checkLength(param: string, value: string, limits: QueryLimits): string {
  const max = limits.maxQueryLength;
  if (max > 0 && value.length > max) {
    throw new ApiError(ErrorType.BadData, `invalid parameter "${param}": ${value.length} characters exceed the limit of ${max} (--query.max-length)`);
  }
  return value;
}
