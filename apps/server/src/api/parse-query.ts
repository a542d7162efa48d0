import { ApiError, ErrorType } from '@pyrometer/http-api';
import { formatGoFloat, type Matcher } from '@pyrometer/model';
import { parseExpr, type Expr, type StartOrEnd, type VectorSelector } from '@pyrometer/promql/parser';
import type { FormParams } from '../web/request.js';
import { queryParam, type QueryLimits } from './limits.js';
import type { ApiResult } from './respond.js';

/** The `query` parameter parsed, or upstream's bad_data error naming the parameter. */
export function parseQueryParam(form: FormParams, limits: QueryLimits): Expr {
  const text = queryParam(form, limits);
  try {
    return parseExpr(text, { maxRegexLength: limits.maxRegexLength });
  } catch (err) {
    throw new ApiError(ErrorType.BadData, `invalid parameter "query": ${(err as Error).message}`, { cause: err });
  }
}

/**
 * GET/POST /api/v1/parse_query: the query's syntax tree as the JSON the Prometheus UI's tree view
 * reads (upstream's `translateAST` shape). Upstream marshals Go maps, so every object's keys come
 * out sorted; {@link sortedJson} does the same here so the bytes match.
 */
export async function parseQuery(form: FormParams, limits: QueryLimits): Promise<ApiResult> {
  return { data: sortedJson(astJson(parseQueryParam(form, limits))) };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function astJson(node: Expr | undefined): Json {
  if (node === undefined) return null;
  switch (node.type) {
    case 'AggregateExpr':
      return { type: 'aggregation', op: node.op, expr: astJson(node.expr), param: astJson(node.param), grouping: [...node.grouping], without: node.without };
    case 'BinaryExpr': {
      const m = node.vectorMatching;
      // fillValues: the experimental fill modifiers are not supported, so both sides are always unset.
      const matching: Json = m === undefined ? null : { card: m.card, labels: [...m.matchingLabels], on: m.on, include: [...m.include], fillValues: { lhs: null, rhs: null } };
      return { type: 'binaryExpr', op: node.op, lhs: astJson(node.lhs), rhs: astJson(node.rhs), matching, bool: node.returnBool };
    }
    case 'Call':
      return {
        type: 'call',
        func: { name: node.func.name, argTypes: [...node.func.argTypes], variadic: node.func.variadic, returnType: node.func.returnType },
        args: node.args.map((a) => astJson(a)),
      };
    case 'MatrixSelector':
      return { ...selectorJson(node.vectorSelector), type: 'matrixSelector', range: node.range };
    case 'SubqueryExpr':
      return {
        type: 'subquery',
        expr: astJson(node.expr),
        range: node.range,
        offset: node.offset,
        step: node.step,
        timestamp: node.timestamp ?? null,
        startOrEnd: startOrEnd(node.startOrEnd),
        // Upstream's experimental aligned subqueries do not exist here.
        alignEvalTime: false,
      };
    case 'NumberLiteral':
      return { type: 'numberLiteral', val: formatGoFloat(node.value, 'f') };
    case 'ParenExpr':
      return { type: 'parenExpr', expr: astJson(node.expr) };
    case 'StringLiteral':
      return { type: 'stringLiteral', val: node.value };
    case 'UnaryExpr':
      return { type: 'unaryExpr', op: node.op, expr: astJson(node.expr) };
    case 'VectorSelector':
      return selectorJson(node);
    case 'StepInvariantExpr':
    case 'DurationExpr':
      // Neither comes out of the parser as a tree node: the engine adds the first, durations sit in selector fields.
      throw new ApiError(ErrorType.Internal, `unsupported node type ${node.type}`);
  }
}

function selectorJson(vs: VectorSelector): { [key: string]: Json } {
  return {
    type: 'vectorSelector',
    name: vs.name,
    offset: vs.offset,
    matchers: vs.matchers.map((m: Matcher) => ({ name: m.name, value: m.value, type: m.type })),
    timestamp: vs.timestamp ?? null,
    startOrEnd: startOrEnd(vs.startOrEnd),
    anchored: vs.anchored,
    smoothed: vs.smoothed,
  };
}

function startOrEnd(value: StartOrEnd | undefined): Json {
  return value ?? null;
}

/** JSON with every object's keys in sorted order (Go's encoding of maps). */
function sortedJson(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => sortedJson(v)).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson(value[k]!)}`).join(',')}}`;
}
