import type { BinaryOp } from '../parser/index.js';
import { comparisonHolds, isComparison, scalarBinop } from './binary.js';

/**
 * Writes `a[k] op b[k]` for k < n into `out`: the operator's result for arithmetic, 1 or 0 for a
 * comparison (whether it holds).
 */
type ColumnOp = (a: Float64Array, b: Float64Array, out: Float64Array, n: number) => void;

/**
 * One loop per operator, so V8 compiles each with its own operator in it: a loop shared by every
 * operator, calling the operator's function per point, was thrown away and recompiled each time a
 * query brought an operator it had not met ("wrong call target"). Maps, not objects: a property
 * read keyed by each new operator name deoptimizes its reader ("wrong name").
 */
const COLUMN_OPS = new Map<BinaryOp, ColumnOp>([
  ['+', (a, b, out, n) => { for (let k = 0; k < n; k++) out[k] = a[k]! + b[k]!; }],
  ['-', (a, b, out, n) => { for (let k = 0; k < n; k++) out[k] = a[k]! - b[k]!; }],
  ['*', (a, b, out, n) => { for (let k = 0; k < n; k++) out[k] = a[k]! * b[k]!; }],
  ['/', (a, b, out, n) => { for (let k = 0; k < n; k++) out[k] = a[k]! / b[k]!; }],
  ['%', (a, b, out, n) => { for (let k = 0; k < n; k++) out[k] = a[k]! % b[k]!; }],
  ['==', (a, b, out, n) => { for (let k = 0; k < n; k++) out[k] = a[k]! === b[k]! ? 1 : 0; }],
  ['!=', (a, b, out, n) => { for (let k = 0; k < n; k++) out[k] = a[k]! !== b[k]! ? 1 : 0; }],
  ['>', (a, b, out, n) => { for (let k = 0; k < n; k++) out[k] = a[k]! > b[k]! ? 1 : 0; }],
  ['<', (a, b, out, n) => { for (let k = 0; k < n; k++) out[k] = a[k]! < b[k]! ? 1 : 0; }],
  ['>=', (a, b, out, n) => { for (let k = 0; k < n; k++) out[k] = a[k]! >= b[k]! ? 1 : 0; }],
  ['<=', (a, b, out, n) => { for (let k = 0; k < n; k++) out[k] = a[k]! <= b[k]! ? 1 : 0; }],
]);

/** The loop of `op` (`^` and `atan2`, with Go's special cases, go through the generic rules). */
export function columnOp(op: BinaryOp): ColumnOp {
  const loop = COLUMN_OPS.get(op);
  if (loop !== undefined) return loop;
  if (isComparison(op)) return (a, b, out, n) => { for (let k = 0; k < n; k++) out[k] = comparisonHolds(op, a[k]!, b[k]!) ? 1 : 0; };
  return (a, b, out, n) => { for (let k = 0; k < n; k++) out[k] = scalarBinop(op, a[k]!, b[k]!); };
}
