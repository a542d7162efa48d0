import { formatDuration, formatGoFloat, goQuote, isLegacyMetricName, METRIC_NAME_LABEL, MatchType } from '@pyrometer/model';
import type { AggregateExpr, BinaryExpr, DurationExpr, Expr, MatrixSelector, NumberLiteral, SubqueryExpr, VectorSelector } from './ast.js';

/**
 * The canonical single-line text of an expression, as upstream's String(): it parses back to
 * the same tree. Used in error messages, annotations and rule files.
 */
export function exprToString(e: Expr): string {
  switch (e.type) {
    case 'NumberLiteral':
      return numberToString(e);
    case 'StringLiteral':
      return goQuote(e.value);
    case 'VectorSelector':
      return vectorSelectorToString(e);
    case 'MatrixSelector':
      return matrixSelectorToString(e);
    case 'SubqueryExpr':
      return exprToString(e.expr) + subquerySuffix(e);
    case 'Call':
      return `${e.func.name}(${e.args.map(exprToString).join(', ')})`;
    case 'AggregateExpr':
      return `${aggregateHead(e)}(${e.param !== undefined ? `${exprToString(e.param)}, ` : ''}${exprToString(e.expr)})`;
    case 'BinaryExpr':
      return `${exprToString(e.lhs)} ${binaryOpString(e)} ${exprToString(e.rhs)}`;
    case 'UnaryExpr':
      return e.op + exprToString(e.expr);
    case 'ParenExpr':
      return `(${exprToString(e.expr)})`;
    case 'StepInvariantExpr':
      return exprToString(e.expr);
    case 'DurationExpr':
      return durationExprToString(e);
  }
}

function numberToString(e: NumberLiteral): string {
  if (e.duration) {
    const ms = Math.round(e.value * 1000);
    return e.value < 0 ? `-${formatDuration(-ms)}` : formatDuration(ms);
  }
  // Upstream prints +Inf, which re-parses as a unary plus (`+Inf ^ 2` is `+(Inf ^ 2)`); Inf does not.
  return e.value === Infinity ? 'Inf' : formatGoFloat(e.value, 'f');
}

/** `name`, then sorted matchers other than the implicit name matcher, then @, anchored/smoothed, offset. */
function vectorSelectorToString(e: VectorSelector): string {
  const parts = selectorBody(e);
  let out = parts;
  if (e.timestamp !== undefined) out += ` @ ${(e.timestamp / 1000).toFixed(3)}`;
  else if (e.startOrEnd !== undefined) out += ` @ ${e.startOrEnd}()`;
  if (e.anchored) out += ' anchored';
  else if (e.smoothed) out += ' smoothed';
  out += offsetString(e.offset, e.offsetExpr);
  return out;
}

function selectorBody(e: VectorSelector): string {
  const strs: string[] = [];
  for (const m of e.matchers) {
    if (m.name === METRIC_NAME_LABEL && m.type === MatchType.Equal && m.value === e.name && m.value !== '') continue;
    strs.push(m.toString());
  }
  strs.sort();
  let name = e.name;
  if (name !== '' && !isLegacyMetricName(name)) {
    // A UTF-8 name can only be written inside the braces.
    strs.unshift(goQuote(name));
    name = '';
  }
  return strs.length > 0 ? `${name}{${strs.join(',')}}` : name;
}

function offsetString(ms: number, expr: DurationExpr | undefined): string {
  if (expr !== undefined) return ` offset ${durationExprToString(expr)}`;
  if (ms > 0) return ` offset ${formatDuration(ms)}`;
  if (ms < 0) return ` offset -${formatDuration(-ms)}`;
  return '';
}

function atString(timestamp: number | undefined, startOrEnd: string | undefined): string {
  if (timestamp !== undefined) return ` @ ${(timestamp / 1000).toFixed(3)}`;
  if (startOrEnd !== undefined) return ` @ ${startOrEnd}()`;
  return '';
}

function matrixSelectorToString(e: MatrixSelector): string {
  const vs = e.vectorSelector;
  const range = e.rangeExpr !== undefined ? durationExprToString(e.rangeExpr) : formatDuration(e.range);
  const ext = vs.anchored ? ' anchored' : vs.smoothed ? ' smoothed' : '';
  return `${selectorBody(vs)}[${range}]${ext}${atString(vs.timestamp, vs.startOrEnd)}${offsetString(vs.offset, vs.offsetExpr)}`;
}

function subquerySuffix(e: SubqueryExpr): string {
  const range = e.rangeExpr !== undefined ? durationExprToString(e.rangeExpr) : formatDuration(e.range);
  const step = e.step !== 0 ? formatDuration(e.step) : e.stepExpr !== undefined ? durationExprToString(e.stepExpr) : '';
  return `[${range}:${step}]${atString(e.timestamp, e.startOrEnd)}${offsetString(e.offset, e.offsetExpr)}`;
}

/** `sum by (a, b) ` / `sum without () ` / `sum` — the operator with its grouping clause. */
export function aggregateHead(e: AggregateExpr): string {
  const labels = labelList(e.grouping);
  if (e.without) return `${e.op} without (${labels}) `;
  if (e.grouping.length > 0) return `${e.op} by (${labels}) `;
  return e.op;
}

/** The operator with `bool` and on/ignoring/group modifiers, e.g. `* on (job) group_left (x)`. */
export function binaryOpString(e: BinaryExpr): string {
  let out = e.op + (e.returnBool ? ' bool' : '');
  const vm = e.vectorMatching;
  if (vm !== undefined) {
    const grouped = vm.card === 'many-to-one' || vm.card === 'one-to-many';
    if (vm.matchingLabels.length > 0 || vm.on || grouped) {
      out += ` ${vm.on ? 'on' : 'ignoring'} (${labelList(vm.matchingLabels)})`;
    }
    if (grouped) out += ` group_${vm.card === 'many-to-one' ? 'left' : 'right'} (${labelList(vm.include)})`;
  }
  return out;
}

/** Label names joined by ", ", UTF-8 names quoted (upstream quotes them only in by/without). */
function labelList(labels: readonly string[]): string {
  return labels.map((l) => (isLegacyMetricName(l) ? l : goQuote(l))).join(', ');
}

function durationExprToString(e: DurationExpr | Expr): string {
  if (e.type !== 'DurationExpr') return exprToString(e);
  let out: string;
  if (e.op === 'step') out = 'step()';
  else if (e.op === 'min' || e.op === 'max') out = `${e.op}(${durationExprToString(e.lhs!)}, ${durationExprToString(e.rhs!)})`;
  else if (e.lhs === undefined) out = (e.op === '-' ? '-' : '') + durationExprToString(e.rhs!);
  else out = `${durationExprToString(e.lhs)} ${e.op} ${durationExprToString(e.rhs!)}`;
  return e.wrapped ? `(${out})` : out;
}
