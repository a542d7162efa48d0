import type { Expr, MatrixSelector, SubqueryExpr, VectorSelector } from '../parser/index.js';
import { inspect } from '../parser/index.js';
import { PromQLError } from '../errors.js';

/** Offsets, ranges and steps in ms of the selectors and subqueries of one query, after duration expressions are evaluated. */
export interface ResolvedDurations {
  offset(node: VectorSelector | SubqueryExpr): number;
  range(node: MatrixSelector | SubqueryExpr): number;
  step(node: SubqueryExpr): number;
}

/**
 * Evaluates every duration expression of the tree (experimental `promql-duration-expr`), where
 * `step()` is the query step in seconds (0 for instant queries). Throws `bad_data` for a
 * non-positive range or step, or a division by zero, with the expression's position.
 */
export function resolveDurations(root: Expr, queryStepMs: number): ResolvedDurations {
  const offsets = new Map<Expr, number>();
  const ranges = new Map<Expr, number>();
  const steps = new Map<Expr, number>();
  const calc = (e: Expr, allowNegative: boolean): number => {
    const seconds = evalDuration(e, queryStepMs / 1000);
    if (seconds <= 0 && !allowNegative) throw new PromQLError('bad_data', `${e.pos.start}:${e.pos.end}: duration must be greater than 0`);
    if (!Number.isFinite(seconds) || Math.abs(seconds) > 9.2e9) throw new PromQLError('bad_data', `${e.pos.start}:${e.pos.end}: duration is out of range`);
    return Math.trunc(seconds * 1000);
  };
  inspect(root, (n) => {
    if (n.type === 'VectorSelector' && n.offsetExpr !== undefined) offsets.set(n, calc(n.offsetExpr, true));
    if (n.type === 'MatrixSelector' && n.rangeExpr !== undefined) ranges.set(n, calc(n.rangeExpr, false));
    if (n.type === 'SubqueryExpr') {
      if (n.offsetExpr !== undefined) offsets.set(n, calc(n.offsetExpr, true));
      if (n.rangeExpr !== undefined) ranges.set(n, calc(n.rangeExpr, false));
      if (n.stepExpr !== undefined) steps.set(n, calc(n.stepExpr, false));
    }
  });
  return {
    offset: (n) => offsets.get(n) ?? n.offset,
    range: (n) => ranges.get(n) ?? n.range,
    step: (n) => steps.get(n) ?? n.step,
  };
}

function evalDuration(e: Expr, stepSeconds: number): number {
  if (e.type === 'NumberLiteral') return e.value;
  if (e.type === 'ParenExpr') return evalDuration(e.expr, stepSeconds);
  if (e.type === 'UnaryExpr') return e.op === '-' ? -evalDuration(e.expr, stepSeconds) : evalDuration(e.expr, stepSeconds);
  if (e.type !== 'DurationExpr') throw new PromQLError('bad_data', `unexpected duration expression type ${e.type}`);
  const lhs = e.lhs === undefined ? undefined : evalDuration(e.lhs, stepSeconds);
  const rhs = e.rhs === undefined ? 0 : evalDuration(e.rhs, stepSeconds);
  switch (e.op) {
    case 'step':
      return stepSeconds;
    case 'min':
      return Math.min(lhs ?? 0, rhs);
    case 'max':
      return Math.max(lhs ?? 0, rhs);
    case '+':
      return lhs === undefined ? rhs : lhs + rhs;
    case '-':
      return lhs === undefined ? -rhs : lhs - rhs;
    case '*':
      return (lhs ?? 0) * rhs;
    case '/':
      if (rhs === 0) throw new PromQLError('bad_data', `${e.pos.start}:${e.pos.end}: division by zero`);
      return (lhs ?? 0) / rhs;
    case '%':
      if (rhs === 0) throw new PromQLError('bad_data', `${e.pos.start}:${e.pos.end}: modulo by zero`);
      return (lhs ?? 0) % rhs;
    case '^':
      return Math.pow(lhs ?? 0, rhs);
  }
}
