import type { DurationExpr, DurationOp, Expr, NumberLiteral, PositionRange } from './ast.js';
import type { Token } from './tokens.js';
import { convertDuration, convertNumber } from './literals.js';
import { tokenRange, type TokenStream } from './stream.js';

/** Largest magnitude, in seconds, a Go time.Duration holds (2^63 ns). */
const MAX_SECONDS = 2 ** 63 / 1e9;

const BINARY: Readonly<Record<string, { prec: number; right: boolean }>> = {
  '+': { prec: 1, right: false },
  '-': { prec: 1, right: false },
  '*': { prec: 2, right: false },
  '/': { prec: 2, right: false },
  '%': { prec: 2, right: false },
  '^': { prec: 3, right: true },
};
const UNARY_PREC = 2;

/** A duration-valued expression: a literal (seconds) or a DurationExpr. */
export type DurationValue = NumberLiteral | DurationExpr;

/** Parses a NUMBER or DURATION token into a literal in seconds (`duration` set for `5m`-style tokens). */
export function numberLiteral(s: TokenStream, t: Token): NumberLiteral {
  const pos = tokenRange(t, s.input);
  if (t.kind === 'DURATION') {
    const d = convertDuration(t.text);
    if (!d.ok) s.fail(pos, d.error);
    return { type: 'NumberLiteral', value: d.value / 1000, duration: true, pos };
  }
  const n = convertNumber(t.text);
  if (!n.ok) s.fail(pos, n.error);
  return { type: 'NumberLiteral', value: n.value, duration: false, pos };
}

function checkedLiteral(s: TokenStream, lit: NumberLiteral, errPos: PositionRange): NumberLiteral {
  if (lit.value > MAX_SECONDS || lit.value < -MAX_SECONDS) s.fail(errPos, 'duration out of range');
  return lit;
}

function negate(lit: NumberLiteral, start: number): NumberLiteral {
  return { ...lit, value: -lit.value, pos: { start, end: lit.pos.end } };
}

function requireEnabled(s: TokenStream, e: Expr): void {
  if (!s.options.enableExperimentalDurationExpr) s.fail(e.pos, 'experimental duration expression is not enabled', 'experimental');
}

/**
 * Parses a duration expression inside `[…]`: literals, `step()`, `min(a, b)`, `max(a, b)`,
 * parentheses, unary signs and + - * / % ^ (binary operators need the duration-expr option).
 * `expected` words the error for a missing operand.
 */
export function parseDurationExpr(s: TokenStream, context: string, expected: string, minPrec = 0): DurationValue {
  s.enter();
  let lhs = parseDurationOperand(s, context, expected);
  for (;;) {
    const t = s.peek();
    const op = BINARY[t.kind];
    if (op === undefined || op.prec < minPrec) {
      s.leave();
      return lhs;
    }
    s.next();
    requireEnabled(s, lhs);
    const rhs = parseDurationExpr(s, context, expected, op.right ? op.prec : op.prec + 1);
    if ((t.kind === '/' || t.kind === '%') && rhs.type === 'NumberLiteral' && rhs.value === 0) {
      s.fail(tokenRange(t, s.input), t.kind === '/' ? 'division by zero' : 'modulo by zero');
    }
    lhs = { type: 'DurationExpr', op: t.kind as DurationOp, lhs, rhs, wrapped: false, pos: { start: lhs.pos.start, end: rhs.pos.end } };
  }
}

function parseDurationOperand(s: TokenStream, context: string, expected: string): DurationValue {
  const t = s.peek();
  switch (t.kind) {
    case 'NUMBER':
    case 'DURATION': {
      s.next();
      const lit = numberLiteral(s, t);
      return checkedLiteral(s, lit, lit.pos);
    }
    case '+':
    case '-': {
      s.next();
      const inner = parseDurationExpr(s, context, expected, UNARY_PREC + 1);
      if (inner.type === 'NumberLiteral') {
        return checkedLiteral(s, t.kind === '-' ? negate(inner, t.pos) : { ...inner, pos: { start: t.pos, end: inner.pos.end } }, tokenRange(t, s.input));
      }
      if (t.kind === '+') return inner;
      return { type: 'DurationExpr', op: '-', lhs: undefined, rhs: inner, wrapped: false, pos: { start: t.pos, end: inner.pos.end } };
    }
    case 'step':
      return parseStep(s, context, expected);
    case 'min':
    case 'max':
      return parseMinMax(s, context, expected);
    case '(': {
      s.next();
      const inner = parseDurationExpr(s, context, expected);
      s.expect(')', context, '")"');
      requireEnabled(s, inner);
      // As upstream, the position stays that of the inner expression (parentheses excluded).
      if (inner.type === 'DurationExpr') return { ...inner, wrapped: true };
      return inner;
    }
    default:
      return s.unexpected(context, expected);
  }
}

/** Parses `step()` at the current `step` token. */
export function parseStep(s: TokenStream, context = '', expected = ''): DurationExpr {
  const t = s.next();
  s.expect('(', context, expected);
  const close = s.expect(')', context, expected);
  return { type: 'DurationExpr', op: 'step', lhs: undefined, rhs: undefined, wrapped: false, pos: { start: t.pos, end: close.pos + 1 } };
}

function parseMinMax(s: TokenStream, context: string, expected: string): DurationExpr {
  const t = s.next();
  s.expect('(', context, '"("');
  const lhs = parseDurationExpr(s, context, expected);
  s.expect(',', context, '","');
  const rhs = parseDurationExpr(s, context, expected);
  s.expect(')', context, '")"');
  // Upstream positions min/max by their operands.
  return { type: 'DurationExpr', op: t.kind === 'min' ? 'min' : 'max', lhs, rhs, wrapped: false, pos: { start: lhs.pos.start, end: rhs.pos.end } };
}

/**
 * Parses the operand of `offset`: an optionally signed literal, `step()`, `min(…)`/`max(…)` or a
 * parenthesised duration expression. Binary operators after it belong to the enclosing
 * expression (`foo offset 2 ^ 2` is `(foo offset 2) ^ 2`).
 */
export function parseOffsetDuration(s: TokenStream): DurationValue {
  const context = 'offset';
  const expected = 'number, duration, or step()';
  const sign = s.peek().kind === '+' || s.peek().kind === '-' ? s.next() : undefined;
  const t = s.peek();
  let inner: DurationValue;
  switch (t.kind) {
    case 'NUMBER':
    case 'DURATION':
      s.next();
      inner = numberLiteral(s, t);
      break;
    case 'step':
      inner = parseStep(s, context, expected);
      break;
    case 'min':
    case 'max':
      inner = parseMinMax(s, context, expected);
      break;
    case '(':
      inner = parseDurationOperand(s, context, expected);
      break;
    default:
      return s.unexpected(context, expected);
  }
  if (inner.type === 'NumberLiteral') {
    const lit = sign?.kind === '-' ? negate(inner, sign.pos) : sign !== undefined ? { ...inner, pos: { start: sign.pos, end: inner.pos.end } } : inner;
    return checkedLiteral(s, lit, sign !== undefined ? tokenRange(sign, s.input) : lit.pos);
  }
  if (sign?.kind === '-') return { type: 'DurationExpr', op: '-', lhs: undefined, rhs: inner, wrapped: false, pos: { start: sign.pos, end: inner.pos.end } };
  return inner;
}

/** Seconds → whole ms (sub-millisecond parts are dropped, as upstream's ms-based evaluation does). */
export function secondsToMs(seconds: number): number {
  return Math.trunc(Math.round(seconds * 1e9) / 1e6);
}
