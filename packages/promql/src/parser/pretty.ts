import type { Expr } from './ast.js';
import { aggregateHead, binaryOpString, exprToString } from './printer.js';

const INDENT = '  ';

/**
 * Formats an expression over several lines the way upstream's Pretty() does for
 * /api/v1/format_query: a node whose one-line form exceeds `maxLineLength` characters (100,
 * as upstream) is split, its children indented by two spaces per level.
 */
export function prettyPrint(e: Expr, maxLineLength = 100): string {
  return pretty(e, 0, maxLineLength);
}

function pretty(e: Expr, level: number, max: number): string {
  const ind = INDENT.repeat(level);
  const flat = exprToString(e);
  const fits = flat.length <= max;
  switch (e.type) {
    case 'AggregateExpr': {
      if (fits) return ind + flat;
      const param = e.param !== undefined ? `${pretty(e.param, level + 1, max)},\n` : '';
      return `${ind}${aggregateHead(e)}(\n${param}${pretty(e.expr, level + 1, max)}\n${ind})`;
    }
    case 'BinaryExpr':
      if (fits) return ind + flat;
      return `${pretty(e.lhs, level + 1, max)}\n${ind}${binaryOpString(e)}\n${pretty(e.rhs, level + 1, max)}`;
    case 'Call':
      if (fits) return ind + flat;
      return `${ind}${e.func.name}(\n${e.args.map((a) => pretty(a, level + 1, max)).join(',\n')}\n${ind})`;
    case 'ParenExpr':
      if (fits) return ind + flat;
      return `${ind}(\n${pretty(e.expr, level + 1, max)}\n${ind})`;
    case 'StepInvariantExpr':
      return pretty(e.expr, level, max);
    case 'SubqueryExpr':
      // Upstream does not indent a subquery that fits on one line; kept for identical output.
      if (fits) return flat;
      return pretty(e.expr, level, max) + flat.slice(exprToString(e.expr).length);
    case 'UnaryExpr':
      return `${ind}${e.op}${pretty(e.expr, level, max).trim()}`;
    default:
      return ind + flat;
  }
}
