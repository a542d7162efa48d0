import { formatGoFloat, goQuote } from '@pyrometer/model';
import type {
  AggregateExpr, AggregateOp, BinaryExpr, BinaryOp, Call, Expr, MatrixSelector, StartOrEnd, SubqueryExpr,
  VectorMatchCardinality, VectorMatching,
} from './ast.js';
import { checkAst } from './check.js';
import { tooDeep, tooDeepMessage } from './depth.js';
import { numberLiteral, parseDurationExpr, parseOffsetDuration, parseStep, secondsToMs, type DurationValue } from './durations.js';
import { getFunction } from './functions.js';
import { AGGREGATORS, type Token, type TokenKind } from './tokens.js';
import { unquote } from './literals.js';
import { isMetricNameToken, parseGroupingLabels, parseVectorSelector, type MutableVectorSelector } from './selectors.js';
import { defaultParserOptions, tokenRange, TokenStream, type ParserOptions } from './stream.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const BINARY_PREC: Readonly<Partial<Record<TokenKind, number>>> = {
  or: 1,
  and: 2, unless: 2,
  '==': 3, '!=': 3, '<': 3, '<=': 3, '>': 3, '>=': 3,
  '+': 4, '-': 4,
  '*': 5, '/': 5, '%': 5, atan2: 5,
  '^': 6,
};
const POW_PREC = 6;
const SET_OPS: ReadonlySet<string> = new Set(['and', 'or', 'unless']);
const PARAM_AGGREGATORS: ReadonlySet<string> = new Set(['topk', 'bottomk', 'count_values', 'quantile', 'limitk', 'limit_ratio']);
const EXPERIMENTAL_AGGREGATORS: ReadonlySet<string> = new Set(['limitk', 'limit_ratio']);
const POSTFIX: ReadonlySet<TokenKind> = new Set<TokenKind>(['[', 'offset', '@', 'anchored', 'smoothed']);

/**
 * Parses a PromQL expression and type checks it. Throws ParseError (with upstream's wording and
 * the offending range) for the first problem found. The returned tree is immutable.
 */
export function parseExpr(input: string, options: Partial<ParserOptions> = {}): Expr {
  const s = new TokenStream(input, { ...defaultParserOptions(), ...options });
  if (s.peek().kind === 'EOF') s.fail({ start: 0, end: 0 }, 'no expression found in input');
  const expr = parseBinary(s, 0);
  if (s.peek().kind !== 'EOF') s.unexpected();
  const deep = tooDeep(expr);
  if (deep !== undefined) s.fail(deep.pos, tooDeepMessage());
  checkAst(s, expr);
  return expr;
}

function parseBinary(s: TokenStream, minPrec: number): Expr {
  s.enter();
  let lhs = parsePostfix(s, parseUnary(s));
  for (;;) {
    const t = s.peek();
    const prec = BINARY_PREC[t.kind];
    if (prec === undefined || prec < minPrec) {
      s.leave();
      return lhs;
    }
    s.next();
    const matching = parseBinModifiers(s, t.kind);
    const rhs = parseBinary(s, t.kind === '^' ? prec : prec + 1);
    const node: BinaryExpr = {
      type: 'BinaryExpr', op: t.text.toLowerCase() as BinaryOp, lhs, rhs, returnBool: matching.returnBool,
      vectorMatching: matching.vectorMatching, pos: { start: lhs.pos.start, end: rhs.pos.end },
    };
    lhs = node;
  }
}

function parseBinModifiers(s: TokenStream, op: TokenKind): { returnBool: boolean; vectorMatching: VectorMatching } {
  const returnBool = s.accept('bool') !== undefined;
  let card: VectorMatchCardinality = SET_OPS.has(op) ? 'many-to-many' : 'one-to-one';
  let on = false;
  let matchingLabels: string[] = [];
  let include: string[] = [];
  const k = s.peek().kind;
  if (k === 'on' || k === 'ignoring') {
    s.next();
    on = k === 'on';
    matchingLabels = parseGroupingLabels(s);
    const g = s.peek().kind;
    if (g === 'group_left' || g === 'group_right') {
      s.next();
      card = g === 'group_left' ? 'many-to-one' : 'one-to-many';
      if (s.peek().kind === '(') include = parseGroupingLabels(s);
    }
  }
  return { returnBool, vectorMatching: { card, matchingLabels, on, include } };
}

function parseUnary(s: TokenStream): Expr {
  const t = s.peek();
  if (t.kind !== '+' && t.kind !== '-') return parsePrimary(s);
  s.next();
  const operand = parseBinary(s, POW_PREC);
  if (operand.type === 'NumberLiteral') {
    return { ...operand, value: t.kind === '-' ? -operand.value : operand.value, pos: { start: t.pos, end: operand.pos.end } };
  }
  return { type: 'UnaryExpr', op: t.kind, expr: operand, pos: { start: t.pos, end: operand.pos.end } };
}

function parsePrimary(s: TokenStream): Expr {
  const t = s.peek();
  switch (t.kind) {
    case 'NUMBER':
    case 'DURATION':
      s.next();
      return numberLiteral(s, t);
    case 'STRING':
      s.next();
      return { type: 'StringLiteral', value: unquote(t.text), pos: tokenRange(t, s.input) };
    case '(': {
      s.next();
      const inner = parseBinary(s, 0);
      const close = s.expect(')', '', '');
      return { type: 'ParenExpr', expr: inner, pos: { start: t.pos, end: close.pos + 1 } };
    }
    case '{':
      return parseVectorSelector(s);
    case 'IDENTIFIER':
      if (peekSecond(s) === '(') return parseCall(s);
      return parseVectorSelector(s);
    default:
      if (AGGREGATORS.has(t.kind) && isAggregationStart(s)) return parseAggregate(s);
      if (t.kind === 'step' && peekSecond(s) === '(') return parseStep(s);
      if (isMetricNameToken(t.kind)) return parseVectorSelector(s);
      return s.unexpected();
  }
}

/** The kind of the token after the next one; nothing is consumed. */
function peekSecond(s: TokenStream): TokenKind {
  return s.peekAfter().kind;
}

function isAggregationStart(s: TokenStream): boolean {
  const k = peekSecond(s);
  return k === '(' || k === 'by' || k === 'without';
}

function parseCallArgs(s: TokenStream): Expr[] {
  s.expect('(', '', '');
  const args: Expr[] = [];
  if (s.accept(')') !== undefined) return args;
  for (;;) {
    args.push(parseBinary(s, 0));
    const t = s.peek();
    if (t.kind === ',') {
      s.next();
      if (s.peek().kind === ')') s.fail(tokenRange(t, s.input), 'trailing commas not allowed in function call args');
      continue;
    }
    if (t.kind === ')') {
      s.next();
      return args;
    }
    s.unexpected();
  }
}

function parseCall(s: TokenStream): Call {
  const name = s.next();
  const func = getFunction(name.text);
  const nameRange = tokenRange(name, s.input);
  if (func === undefined) s.fail(nameRange, `unknown function with name ${goQuote(name.text)}`);
  if (func.experimental && !s.options.enableExperimentalFunctions) {
    s.fail(nameRange, `function ${goQuote(name.text)} is not enabled`, 'experimental');
  }
  const args = parseCallArgs(s);
  return { type: 'Call', func, args, pos: { start: name.pos, end: s.lastEnd } };
}

function parseAggregate(s: TokenStream): AggregateExpr {
  const opTok = s.next();
  const op = opTok.text.toLowerCase() as AggregateOp;
  let modifier = parseAggregateModifier(s);
  const args = parseCallArgs(s);
  modifier ??= parseAggregateModifier(s);
  const grouping = modifier?.grouping ?? [];
  const without = modifier?.without ?? false;
  const pos = { start: opTok.pos, end: s.lastEnd };
  if (args.length === 0) s.fail(pos, 'no arguments for aggregate expression provided');
  let desired = 1;
  let param: Expr | undefined;
  if (PARAM_AGGREGATORS.has(op)) {
    if (EXPERIMENTAL_AGGREGATORS.has(op) && !s.options.enableExperimentalFunctions) {
      s.fail(pos, `${op}() is experimental and must be enabled with --enable-feature=promql-experimental-functions`, 'experimental');
    }
    desired = 2;
    param = args[0];
  }
  if (args.length !== desired) {
    s.fail(pos, `wrong number of arguments for aggregate expression provided, expected ${desired}, got ${args.length}`);
  }
  return { type: 'AggregateExpr', op, expr: args[desired - 1]!, param, grouping, without, pos };
}

/** Parses `by (…)` or `without (…)` when present. */
function parseAggregateModifier(s: TokenStream): { grouping: string[]; without: boolean } | undefined {
  const k = s.peek().kind;
  if (k !== 'by' && k !== 'without') return undefined;
  s.next();
  return { without: k === 'without', grouping: parseGroupingLabels(s) };
}

/** Applies the modifiers that bind tighter than any operator: `[range]`, `[range:step]`, offset, @, anchored, smoothed. */
function parsePostfix(s: TokenStream, expr: Expr): Expr {
  let e = expr;
  for (;;) {
    const t = s.peek();
    if (!POSTFIX.has(t.kind)) return e;
    s.next();
    switch (t.kind) {
      case '[':
        e = parseRangeOrSubquery(s, e, t);
        break;
      case 'offset':
        setOffset(s, e, parseOffsetDuration(s));
        break;
      case '@':
        parseAt(s, e);
        break;
      default:
        setExtended(s, e, t.kind === 'anchored' ? 'anchored' : 'smoothed');
    }
  }
}

function positiveDuration(s: TokenStream, v: DurationValue): DurationValue {
  if (v.type === 'NumberLiteral' && v.value <= 0) s.fail(v.pos, 'duration must be greater than 0');
  return v;
}

function parseRangeOrSubquery(s: TokenStream, e: Expr, open: Token): Expr {
  const range = positiveDuration(s, parseDurationExpr(s, 'subquery or range selector', 'number, duration, or step()'));
  const [rangeMs, rangeExpr] = split(range);
  const next = s.peek();
  if (next.kind === ']') {
    s.next();
    const err =
      e.type !== 'VectorSelector' ? 'ranges only allowed for vector selectors'
        : e.offset !== 0 || e.offsetExpr !== undefined ? 'no offset modifiers allowed before range'
          : e.timestamp !== undefined || e.startOrEnd !== undefined ? 'no @ modifiers allowed before range'
            : undefined;
    if (err !== undefined) s.fail({ start: open.pos, end: next.pos + 1 }, err);
    const vs = e as MutableVectorSelector;
    const m: MatrixSelector = { type: 'MatrixSelector', vectorSelector: vs, range: rangeMs, rangeExpr, pos: { start: vs.pos.start, end: next.pos + 1 } };
    return m;
  }
  if (next.kind !== ':') s.unexpected('subquery or range', '":" or "]"');
  s.next();
  let stepMs = 0;
  let stepExpr: DurationValue | undefined;
  if (s.peek().kind !== ']') {
    [stepMs, stepExpr] = split(positiveDuration(s, parseDurationExpr(s, 'subquery selector', 'number, duration, or step() or "]"')));
    if (s.peek().kind !== ']') s.unexpected('subquery selector', '"]"');
  }
  const close = s.next();
  const sq: SubqueryExpr = {
    type: 'SubqueryExpr', expr: e, range: rangeMs, rangeExpr, step: stepMs, stepExpr: stepExpr as SubqueryExpr['stepExpr'],
    offset: 0, offsetExpr: undefined, timestamp: undefined, startOrEnd: undefined, pos: { start: e.pos.start, end: close.pos + 1 },
  };
  return sq;
}

function split(v: DurationValue): [number, Exclude<DurationValue, { type: 'NumberLiteral' }> | undefined] {
  return v.type === 'NumberLiteral' ? [secondsToMs(v.value), undefined] : [0, v];
}

type Modifiable = MutableVectorSelector | Mutable<SubqueryExpr>;

/** The node an offset/@ applies to (the vector selector inside a matrix selector), or undefined. */
function modifierTarget(e: Expr): { node: Modifiable; owner: { pos: { start: number; end: number } } } | undefined {
  if (e.type === 'VectorSelector' || e.type === 'SubqueryExpr') return { node: e as Modifiable, owner: e as Modifiable };
  if (e.type === 'MatrixSelector') return { node: e.vectorSelector as MutableVectorSelector, owner: e as Mutable<MatrixSelector> };
  return undefined;
}

function setOffset(s: TokenStream, e: Expr, d: DurationValue): void {
  const target = modifierTarget(e);
  if (target === undefined) {
    s.fail(e.pos, 'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery');
  }
  const { node, owner } = target;
  if (node.offset !== 0 || node.offsetExpr !== undefined) s.fail(e.pos, 'offset may not be set multiple times');
  if (d.type === 'NumberLiteral') node.offset = secondsToMs(d.value);
  else node.offsetExpr = d;
  owner.pos = { start: owner.pos.start, end: s.lastEnd };
}

function parseAt(s: TokenStream, e: Expr): void {
  const t = s.peek();
  let startOrEnd: StartOrEnd | undefined;
  let seconds = 0;
  if (t.kind === 'start' || t.kind === 'end') {
    s.next();
    s.expect('(', '@', 'timestamp');
    s.expect(')', '@', 'timestamp');
    startOrEnd = t.kind;
  } else {
    const sign = t.kind === '+' || t.kind === '-' ? s.next() : undefined;
    const n = s.peek();
    if (n.kind !== 'NUMBER' && n.kind !== 'DURATION') s.unexpected('@', 'timestamp');
    s.next();
    seconds = numberLiteral(s, n).value * (sign?.kind === '-' ? -1 : 1);
    if (!Number.isFinite(seconds) || Math.abs(seconds) >= 2 ** 63) {
      s.fail(e.pos, `timestamp out of bounds for @ modifier: ${formatGoFloat(seconds, 'f', 6)}`);
    }
  }
  const target = modifierTarget(e);
  if (target === undefined) {
    s.fail(e.pos, '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery');
  }
  const { node, owner } = target;
  if (node.timestamp !== undefined || node.startOrEnd !== undefined) s.fail(e.pos, '@ <timestamp> may not be set multiple times');
  if (startOrEnd !== undefined) node.startOrEnd = startOrEnd;
  else node.timestamp = Math.round(seconds * 1000);
  owner.pos = { start: owner.pos.start, end: s.lastEnd };
}

function setExtended(s: TokenStream, e: Expr, which: 'anchored' | 'smoothed'): void {
  if (!s.options.enableExtendedRangeSelectors) s.fail(e.pos, `${which} modifier is experimental and not enabled`, 'experimental');
  if (e.type === 'SubqueryExpr') s.fail(e.pos, `${which} modifier is not supported for subqueries`);
  const vs = e.type === 'VectorSelector' ? e : e.type === 'MatrixSelector' ? e.vectorSelector : undefined;
  if (vs === undefined) s.fail(e.pos, `${which} modifier not implemented`);
  const other = which === 'anchored' ? vs.smoothed : vs.anchored;
  (vs as MutableVectorSelector)[which] = true;
  if (other) s.fail(e.pos, 'anchored and smoothed modifiers cannot be used together');
}
