export type {
  AggregateExpr,
  AggregateOp,
  BinaryExpr,
  BinaryOp,
  Call,
  DurationExpr,
  DurationOp,
  Expr,
  MatrixSelector,
  NumberLiteral,
  ParenExpr,
  PositionRange,
  StartOrEnd,
  StepInvariantExpr,
  StringLiteral,
  SubqueryExpr,
  UnaryExpr,
  UnaryOp,
  VectorMatchCardinality,
  VectorMatching,
  VectorSelector,
} from './ast.js';
export { children, inspect, ValueType, valueTypeOf } from './ast.js';
export { documentedType } from './check.js';
export { ParseError, type ParseErrorCode } from './errors.js';
export type { FunctionDef } from './functions.js';
export { FUNCTIONS, getFunction } from './functions.js';
export { MAX_EXPRESSION_DEPTH } from './depth.js';
export { parseExpr } from './parser.js';
export { exprToString } from './printer.js';
export { defaultParserOptions, type ParserOptions } from './stream.js';
export { parseMetricSelector } from './metric-selector.js';
export { prettyPrint } from './pretty.js';
export { parseSeriesDescription, type SequenceValue, type SeriesDescription } from './series.js';
