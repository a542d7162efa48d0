import { goQuote, METRIC_NAME_LABEL } from '@pyrometer/model';
import { ValueType, valueTypeOf, type BinaryExpr, type Call, type Expr, type PositionRange } from './ast.js';
import type { TokenStream } from './stream.js';

/** How upstream names value types in messages. */
export function documentedType(t: ValueType): string {
  switch (t) {
    case 'vector':
      return 'instant vector';
    case 'matrix':
      return 'range vector';
    default:
      return t;
  }
}

const COMPARISONS: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=']);
const SET_OPS: ReadonlySet<string> = new Set(['and', 'or', 'unless']);

/**
 * Type checks a freshly parsed tree the way upstream's checkAST does, failing with the first
 * error in the same traversal order. It drops the vector matching of binary expressions that
 * are not vector/vector (the tree is still private to the parser here).
 */
export function checkAst(s: TokenStream, root: Expr): void {
  new Checker(s).check(root);
}

class Checker {
  /** Vector selectors exempt from the non-empty matcher rule (the second argument of info()). */
  private readonly bypass = new Set<Expr>();

  constructor(private readonly s: TokenStream) {}

  private fail(pos: PositionRange, msg: string): never {
    return this.s.fail(pos, msg, 'type');
  }

  private expectType(e: Expr, want: ValueType, context: string): void {
    const t = this.check(e);
    if (t !== want) this.fail(e.pos, `expected type ${documentedType(want)} in ${context}, got ${documentedType(t)}`);
  }

  /**
   * Upstream's operator range: from the first non-space after the lhs to the last non-space
   * before the rhs (that last character itself excluded, as upstream reports it).
   */
  private opRange(n: BinaryExpr): PositionRange {
    const input = this.s.input;
    let start = n.lhs.pos.end;
    while (isSpace(input[start])) start++;
    let end = n.rhs.pos.start - 1;
    while (isSpace(input[end])) end--;
    return { start, end };
  }

  check(e: Expr): ValueType {
    switch (e.type) {
      case 'AggregateExpr':
        this.expectType(e.expr, ValueType.Vector, 'aggregation expression');
        if (e.param !== undefined) {
          this.expectType(e.param, e.op === 'count_values' ? ValueType.String : ValueType.Scalar, 'aggregation parameter');
        }
        break;
      case 'BinaryExpr':
        this.checkBinary(e);
        break;
      case 'Call':
        this.checkCall(e);
        break;
      case 'ParenExpr':
      case 'StepInvariantExpr':
        this.check(e.expr);
        break;
      case 'UnaryExpr': {
        const t = this.check(e.expr);
        if (t !== ValueType.Scalar && t !== ValueType.Vector) {
          this.fail(e.pos, `unary expression only allowed on expressions of type scalar or instant vector, got ${goQuote(documentedType(t))}`);
        }
        break;
      }
      case 'SubqueryExpr': {
        const t = this.check(e.expr);
        if (t !== ValueType.Vector) this.fail(e.pos, `subquery is only allowed on instant vector, got ${t} instead`);
        break;
      }
      case 'MatrixSelector':
        this.check(e.vectorSelector);
        break;
      case 'VectorSelector':
        if (e.name !== '') {
          for (const m of e.matchers.slice(0, -1)) {
            if (m.name === METRIC_NAME_LABEL) this.fail(e.pos, `metric name must not be set twice: ${goQuote(e.name)} or ${goQuote(m.value)}`);
          }
        } else if (!this.bypass.has(e) && e.matchers.every((m) => m.matchesEmpty())) {
          this.fail(e.pos, 'vector selector must contain at least one non-empty matcher');
        }
        break;
      default:
        break;
    }
    return valueTypeOf(e);
  }

  private checkBinary(e: BinaryExpr): void {
    const lt = this.check(e.lhs);
    const rt = this.check(e.rhs);
    const vm = e.vectorMatching;
    if (e.returnBool && !COMPARISONS.has(e.op)) this.fail(this.opRange(e), 'bool modifier can only be used on comparison operators');
    if (COMPARISONS.has(e.op) && !e.returnBool && lt === ValueType.Scalar && rt === ValueType.Scalar) {
      this.fail(this.opRange(e), 'comparisons between scalars must use BOOL modifier');
    }
    if (vm !== undefined && vm.on) {
      for (const l of vm.matchingLabels) {
        if (vm.include.includes(l)) this.fail(this.opRange(e), `label ${goQuote(l)} must not occur in ON and GROUP clause at once`);
      }
    }
    if (lt !== ValueType.Scalar && lt !== ValueType.Vector) this.fail(e.lhs.pos, 'binary expression must contain only scalar and instant vector types');
    if (rt !== ValueType.Scalar && rt !== ValueType.Vector) this.fail(e.rhs.pos, 'binary expression must contain only scalar and instant vector types');
    if ((lt !== ValueType.Vector || rt !== ValueType.Vector) && vm !== undefined) {
      if (vm.matchingLabels.length > 0) this.fail(e.pos, 'vector matching only allowed between instant vectors');
      (e as { vectorMatching: unknown }).vectorMatching = undefined;
    } else if (SET_OPS.has(e.op) && vm !== undefined) {
      if (vm.card === 'one-to-many' || vm.card === 'many-to-one') this.fail(e.pos, `no grouping allowed for ${goQuote(e.op)} operation`);
    }
    if ((lt === ValueType.Scalar || rt === ValueType.Scalar) && SET_OPS.has(e.op)) {
      this.fail(e.pos, `set operator ${goQuote(e.op)} not allowed in binary scalar expression`);
    }
  }

  private checkCall(e: Call): void {
    const f = e.func;
    const n = f.argTypes.length;
    const got = e.args.length;
    const name = goQuote(f.name);
    if (f.variadic === 0) {
      if (n !== got) this.fail(e.pos, `expected ${n} argument(s) in call to ${name}, got ${got}`);
    } else if (n - 1 > got) {
      this.fail(e.pos, `expected at least ${n - 1} argument(s) in call to ${name}, got ${got}`);
    } else if (f.variadic > 0 && n - 1 + f.variadic < got) {
      this.fail(e.pos, `expected at most ${n - 1 + f.variadic} argument(s) in call to ${name}, got ${got}`);
    }
    if (f.name === 'info' && got > 1) {
      const second = e.args[1]!;
      const t = valueTypeOf(second);
      if (t !== ValueType.Vector) this.fail(e.pos, `expected type instant vector in call to function "info", got ${documentedType(t)}`);
      if (second.type !== 'VectorSelector') return this.fail(second.pos, 'expected label selectors only');
      if (second.name !== '') this.fail(second.pos, 'expected label selectors only, got vector selector instead');
      this.bypass.add(second);
    }
    for (let i = 0; i < got; i++) {
      if (i >= n && f.variadic === 0) break;
      const arg = e.args[i]!;
      const want = f.argTypes[Math.min(i, n - 1)]!;
      const t = this.check(arg);
      if (t !== want) this.fail(arg.pos, `expected type ${documentedType(want)} in call to function ${name}, got ${documentedType(t)}`);
    }
  }
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}
