import { ApiError, ErrorType } from '@pyrometer/http-api';
import type { Matcher } from '@pyrometer/model';
import { parseMetricSelector } from '@pyrometer/promql/parser';

/**
 * Parses one `match[]` value: a series selector such as `up{job="x"}` or `{__name__=~"a.*"}`.
 * As upstream, a selector whose matchers all match the empty string is refused (it would select
 * every series). Errors are bad_data naming the parameter, in upstream's wording.
 */
export function parseMatchParam(value: string, maxRegexLength = 0): Matcher[] {
  let matchers: Matcher[];
  try {
    matchers = parseMetricSelector(value, { maxRegexLength });
  } catch (err) {
    throw new ApiError(ErrorType.BadData, `invalid parameter "match[]": ${(err as Error).message}`, { cause: err });
  }
  if (matchers.every((m) => m.matchesEmpty())) throw new ApiError(ErrorType.BadData, 'invalid parameter "match[]": match[] must contain at least one non-empty matcher');
  return matchers;
}

/** Every `match[]` of a request, parsed (regexes longer than `maxRegexLength` refused, 0 for no limit). */
export function parseMatchParams(values: readonly string[], maxRegexLength = 0): Matcher[][] {
  return values.map((v) => parseMatchParam(v, maxRegexLength));
}
