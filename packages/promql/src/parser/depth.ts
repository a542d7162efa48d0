import { children, type Expr } from './ast.js';

/**
 * The deepest expression the parser accepts, in nesting levels of the syntax tree (parentheses,
 * calls, aggregations, operators — `a + b + c` is three levels — and duration expressions alike).
 * Upstream has no limit (Go stacks grow); ours keeps every recursive walk — parser, type check,
 * printer, evaluator, the API's syntax tree — within the default JavaScript stack (~1 MB), so a
 * deep query is refused with a parse error instead of answering "Maximum call stack size
 * exceeded". Measured in a fresh process (interpreted code has the largest stack frames): every
 * shape passes every walk at 1,000 levels, nested calls and aggregations fail to parse at 1,500;
 * the limit keeps twice the room. `depth.test.ts` checks every shape at the limit.
 */
export const MAX_EXPRESSION_DEPTH = 500;

/**
 * The first node, in depth-first order from the left, that lies deeper than
 * {@link MAX_EXPRESSION_DEPTH}, found without recursion.
 */
export function tooDeep(root: Expr): Expr | undefined {
  const stack: [Expr, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_EXPRESSION_DEPTH) return node;
    const next = [...children(node), ...durations(node)];
    for (let i = next.length - 1; i >= 0; i--) stack.push([next[i]!, depth + 1]);
  }
  return undefined;
}

/** The duration expressions a node holds besides its children (ranges, steps, offsets). */
function durations(e: Expr): Expr[] {
  switch (e.type) {
    case 'VectorSelector':
      return e.offsetExpr === undefined ? [] : [e.offsetExpr];
    case 'MatrixSelector':
      return e.rangeExpr === undefined ? [] : [e.rangeExpr];
    case 'SubqueryExpr':
      return [e.rangeExpr, e.stepExpr, e.offsetExpr].filter((d) => d !== undefined);
    default:
      return [];
  }
}

/** The parse error text for an expression nested too deeply. */
export function tooDeepMessage(): string {
  return `expression nested too deeply: more than ${MAX_EXPRESSION_DEPTH} levels`;
}
