import type { Expr } from '../parser/index.js';
import { exprToString, parseExpr } from '../parser/index.js';

const AT_MODIFIER_UNSAFE = new Set(['days_in_month', 'day_of_month', 'day_of_week', 'day_of_year', 'hour', 'minute', 'month', 'year', 'predict_linear', 'time', 'timestamp']);

/**
 * Upstream's atModifierTestCases: the query with `@ <t>` added to every selector and subquery
 * outside subqueries that have one, re-run at other evaluation times. Empty when the query uses
 * a function whose result depends on the evaluation time, or does not parse.
 */
export function atModifierVariants(text: string, t: number): { expr: string; t: number }[] {
  let expr: Expr;
  try {
    expr = parseExpr(text, { enableExperimentalFunctions: true, enableExperimentalDurationExpr: true, enableExtendedRangeSelectors: true });
  } catch {
    return [];
  }
  let unsafe = false;
  const rewrite = (e: Expr): Expr => {
    switch (e.type) {
      case 'VectorSelector':
        return e.timestamp === undefined && e.startOrEnd === undefined ? { ...e, timestamp: t } : e;
      case 'MatrixSelector':
        return { ...e, vectorSelector: rewrite(e.vectorSelector) as typeof e.vectorSelector };
      case 'SubqueryExpr':
        return e.timestamp === undefined && e.startOrEnd === undefined ? { ...e, timestamp: t } : e;
      case 'Call':
        if (AT_MODIFIER_UNSAFE.has(e.func.name)) unsafe = true;
        return { ...e, args: e.args.map(rewrite) };
      case 'AggregateExpr':
        return { ...e, expr: rewrite(e.expr), param: e.param === undefined ? undefined : rewrite(e.param) };
      case 'BinaryExpr':
        return { ...e, lhs: rewrite(e.lhs), rhs: rewrite(e.rhs) };
      case 'UnaryExpr':
      case 'ParenExpr':
      case 'StepInvariantExpr':
        return { ...e, expr: rewrite(e.expr) };
      default:
        return e;
    }
  };
  const rewritten = exprToString(rewrite(expr));
  if (unsafe) return [];
  const times = t === 0 ? [-1000, 0, 1000] : [-10 * t, 0, Math.trunc(t / 5), t, 10 * t];
  return times.map((et) => ({ expr: rewritten, t: et }));
}
