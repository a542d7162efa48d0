import { ApiError, ErrorType } from '@pyrometer/http-api';
import type { Matcher } from '@pyrometer/model';
import { ParseError, parseExpr } from '@pyrometer/promql/parser';

const EMPTY_MATCHERS = 'match[] must contain at least one non-empty matcher';

/**
 * Parses one `match[]` value: a series selector such as `up{job="x"}` or `{__name__=~"a.*"}`.
 * As upstream, a selector whose matchers all match the empty string is refused (it would select
 * every series). Errors are bad_data naming the parameter.
 */
export function parseMatchParam(value: string): Matcher[] {
  let expr;
  try {
    expr = parseExpr(value);
  } catch (err) {
    // The parser refuses empty-matching selectors itself; say it the way the API does.
    const message = err instanceof ParseError && err.reason.startsWith('vector selector must contain at least one non-empty matcher') ? EMPTY_MATCHERS : (err as Error).message;
    throw new ApiError(ErrorType.BadData, `invalid parameter "match[]": ${message}`, { cause: err });
  }
  if (expr.type !== 'VectorSelector' || expr.offset !== 0 || expr.timestamp !== undefined || expr.startOrEnd !== undefined) {
    throw new ApiError(ErrorType.BadData, `invalid parameter "match[]": ${JSON.stringify(value)} is not a series selector`);
  }
  if (expr.matchers.every((m) => m.matchesEmpty())) throw new ApiError(ErrorType.BadData, `invalid parameter "match[]": ${EMPTY_MATCHERS}`);
  return [...expr.matchers];
}

/** Every `match[]` of a request, parsed. */
export function parseMatchParams(values: readonly string[]): Matcher[][] {
  return values.map(parseMatchParam);
}
