import type { Matcher } from '@pyrometer/model';
import type { FunctionDef } from './functions.js';

/**
 * A half-open character range `[start, end)` in the query string, 0-based, counted in UTF-16
 * code units (JavaScript string indices). Every node carries one so errors can point at it.
 */
export interface PositionRange {
  readonly start: number;
  readonly end: number;
}

/** The value types an expression evaluates to; the tags equal the HTTP API's `resultType`. */
export const ValueType = {
  Scalar: 'scalar',
  Vector: 'vector',
  Matrix: 'matrix',
  String: 'string',
} as const;
export type ValueType = (typeof ValueType)[keyof typeof ValueType];

/** Binary operators in PromQL spelling; `and`/`or`/`unless` are the set operators. */
export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%' | '^' | 'atan2'
  | '==' | '!=' | '>' | '<' | '>=' | '<='
  | 'and' | 'or' | 'unless';

/** Aggregation operators; `limitk` and `limit_ratio` are experimental. */
export type AggregateOp =
  | 'sum' | 'avg' | 'count' | 'min' | 'max' | 'group' | 'stddev' | 'stdvar'
  | 'topk' | 'bottomk' | 'count_values' | 'quantile' | 'limitk' | 'limit_ratio';

/** Unary operators (sign). */
export type UnaryOp = '+' | '-';

/** The operators of a duration expression; `step` is `step()`, `min`/`max` are `min(a, b)`/`max(a, b)`. */
export type DurationOp = '+' | '-' | '*' | '/' | '%' | '^' | 'step' | 'min' | 'max';

/** Which end of the query range an `@ start()` / `@ end()` modifier refers to. */
export type StartOrEnd = 'start' | 'end';

/** Matching cardinality of a vector/vector binary operation. */
export type VectorMatchCardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

/**
 * How the elements of two instant vectors are paired. `on` true means `matchingLabels` are
 * the labels to compare (`on(...)`); false means they are excluded (`ignoring(...)`, or no
 * modifier at all with an empty list). `include` are the extra labels of `group_left(...)` /
 * `group_right(...)`.
 */
export interface VectorMatching {
  readonly card: VectorMatchCardinality;
  readonly matchingLabels: readonly string[];
  readonly on: boolean;
  readonly include: readonly string[];
}

/** A number; `duration` is set when it was written as a duration (`5m` → 300 seconds) so it prints back that way. */
export interface NumberLiteral {
  readonly type: 'NumberLiteral';
  readonly value: number;
  readonly duration: boolean;
  readonly pos: PositionRange;
}

/** A string literal with escapes already resolved. */
export interface StringLiteral {
  readonly type: 'StringLiteral';
  readonly value: string;
  readonly pos: PositionRange;
}

/**
 * `name{matchers} offset o @ t`. `matchers` includes the implicit `__name__="name"` matcher
 * (last, as upstream places it) when a name was written outside the braces. `offset` is the
 * written offset in ms (negative allowed), or, when `offsetExpr` is set, 0 until the engine
 * evaluates the duration expression. `timestamp` is the `@` time in ms since the epoch;
 * `startOrEnd` is set instead for `@ start()` / `@ end()`. `anchored`/`smoothed` are the
 * experimental extended range selector modifiers.
 */
export interface VectorSelector {
  readonly type: 'VectorSelector';
  readonly name: string;
  readonly matchers: readonly Matcher[];
  readonly offset: number;
  readonly offsetExpr: DurationExpr | undefined;
  readonly timestamp: number | undefined;
  readonly startOrEnd: StartOrEnd | undefined;
  readonly anchored: boolean;
  readonly smoothed: boolean;
  readonly pos: PositionRange;
}

/** `selector[range]`; `range` in ms, or 0 with `rangeExpr` set when written as a duration expression. */
export interface MatrixSelector {
  readonly type: 'MatrixSelector';
  readonly vectorSelector: VectorSelector;
  readonly range: number;
  readonly rangeExpr: DurationExpr | undefined;
  readonly pos: PositionRange;
}

/**
 * `expr[range:step] offset o @ t`. Durations in ms; `step` 0 means "use the default evaluation
 * interval". The `*Expr` fields are set instead of the number when written as duration expressions.
 */
export interface SubqueryExpr {
  readonly type: 'SubqueryExpr';
  readonly expr: Expr;
  readonly range: number;
  readonly rangeExpr: DurationExpr | undefined;
  readonly step: number;
  readonly stepExpr: DurationExpr | undefined;
  readonly offset: number;
  readonly offsetExpr: DurationExpr | undefined;
  readonly timestamp: number | undefined;
  readonly startOrEnd: StartOrEnd | undefined;
  readonly pos: PositionRange;
}

/** A function call; `func` is the entry of the function table, `args` already type checked. */
export interface Call {
  readonly type: 'Call';
  readonly func: FunctionDef;
  readonly args: readonly Expr[];
  readonly pos: PositionRange;
}

/** `op [by|without (grouping)] ([param,] expr)`. `param` is set for topk/bottomk/quantile/count_values/limitk/limit_ratio. */
export interface AggregateExpr {
  readonly type: 'AggregateExpr';
  readonly op: AggregateOp;
  readonly expr: Expr;
  readonly param: Expr | undefined;
  readonly grouping: readonly string[];
  readonly without: boolean;
  readonly pos: PositionRange;
}

/** `lhs op [bool] [on|ignoring(...)] [group_left|group_right(...)] rhs`. `vectorMatching` is set when both sides are instant vectors. */
export interface BinaryExpr {
  readonly type: 'BinaryExpr';
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
  readonly returnBool: boolean;
  readonly vectorMatching: VectorMatching | undefined;
  readonly pos: PositionRange;
}

/** `-expr` or `+expr` on a scalar or instant vector. */
export interface UnaryExpr {
  readonly type: 'UnaryExpr';
  readonly op: UnaryOp;
  readonly expr: Expr;
  readonly pos: PositionRange;
}

/** `(expr)`; the position includes the parentheses. */
export interface ParenExpr {
  readonly type: 'ParenExpr';
  readonly expr: Expr;
  readonly pos: PositionRange;
}

/**
 * A wrapper the engine may put around sub-trees whose value is the same at every step (like
 * upstream's PreprocessExpr). The parser never produces it; it prints as its inner expression.
 */
export interface StepInvariantExpr {
  readonly type: 'StepInvariantExpr';
  readonly expr: Expr;
  readonly pos: PositionRange;
}

/**
 * A duration expression (experimental `promql-duration-expr`): arithmetic over number/duration
 * literals in seconds, `step()` and `min(a, b)`/`max(a, b)`. Unary minus has `lhs` undefined;
 * `step` has neither operand. `wrapped` is set when written in parentheses. It evaluates to
 * seconds; the engine resolves it (it may need the query step).
 */
export interface DurationExpr {
  readonly type: 'DurationExpr';
  readonly op: DurationOp;
  readonly lhs: Expr | undefined;
  readonly rhs: Expr | undefined;
  readonly wrapped: boolean;
  readonly pos: PositionRange;
}

/** Any PromQL expression node. */
export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | Call
  | AggregateExpr
  | BinaryExpr
  | UnaryExpr
  | ParenExpr
  | StepInvariantExpr
  | DurationExpr;

/** The value type an expression evaluates to (assumes a type-checked tree, as the parser returns). */
export function valueTypeOf(e: Expr): ValueType {
  switch (e.type) {
    case 'NumberLiteral':
    case 'DurationExpr':
      return ValueType.Scalar;
    case 'StringLiteral':
      return ValueType.String;
    case 'VectorSelector':
    case 'AggregateExpr':
      return ValueType.Vector;
    case 'MatrixSelector':
    case 'SubqueryExpr':
      return ValueType.Matrix;
    case 'Call':
      return e.func.returnType;
    case 'BinaryExpr':
      return valueTypeOf(e.lhs) === ValueType.Scalar && valueTypeOf(e.rhs) === ValueType.Scalar
        ? ValueType.Scalar
        : ValueType.Vector;
    case 'UnaryExpr':
    case 'ParenExpr':
    case 'StepInvariantExpr':
      return valueTypeOf(e.expr);
  }
}

/**
 * The direct sub-expressions of a node in evaluation order (aggregation: param first, then expr;
 * duration sub-expressions of modifiers are not included). Returns a new array.
 */
export function children(e: Expr): Expr[] {
  switch (e.type) {
    case 'NumberLiteral':
    case 'StringLiteral':
    case 'VectorSelector':
      return [];
    case 'MatrixSelector':
      return [e.vectorSelector];
    case 'SubqueryExpr':
    case 'UnaryExpr':
    case 'ParenExpr':
    case 'StepInvariantExpr':
      return [e.expr];
    case 'Call':
      return [...e.args];
    case 'AggregateExpr':
      return e.param === undefined ? [e.expr] : [e.param, e.expr];
    case 'BinaryExpr':
      return [e.lhs, e.rhs];
    case 'DurationExpr': {
      const out: Expr[] = [];
      if (e.lhs !== undefined) out.push(e.lhs);
      if (e.rhs !== undefined) out.push(e.rhs);
      return out;
    }
  }
}

/**
 * Visits `e` and its descendants depth-first, parents before children, passing the path of
 * ancestors (outermost first). Returning `false` from `visit` skips the node's children.
 */
export function inspect(e: Expr, visit: (node: Expr, path: readonly Expr[]) => boolean | void): void {
  const path: Expr[] = [];
  const walk = (n: Expr): void => {
    if (visit(n, path) === false) return;
    path.push(n);
    for (const c of children(n)) walk(c);
    path.pop();
  };
  walk(e);
}
