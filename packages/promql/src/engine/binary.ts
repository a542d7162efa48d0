import type { FloatHistogram, Labels } from '@pyrometer/model';
import { execError } from '../errors.js';
import type { BinaryOp, VectorMatching } from '../parser/index.js';
import type { Sample } from '../value.js';
import { histogramElemBinop, type BinopSite } from './histogram-binary.js';
import { signature } from './labels-util.js';

/**
 * Per-node caches kept across the steps of one evaluation (label sets repeat at every step):
 * matching signatures by input label set, and result label sets by input pair.
 */
export class BinopCache {
  readonly signatures = new Map<Labels, string>();
  readonly results = new Map<Labels, Map<Labels, Labels>>();

  signature(metric: Labels, m: VectorMatching): string {
    let s = this.signatures.get(metric);
    if (s === undefined) {
      s = signature(metric, m.matchingLabels, m.on);
      this.signatures.set(metric, s);
    }
    return s;
  }
}

const bool = (b: boolean): number => (b ? 1 : 0);

/** Whether an arithmetic operator changes what the metric means (so `__name__` goes). */
export function changesMetricSchema(op: BinaryOp): boolean {
  return op === '+' || op === '-' || op === '*' || op === '/' || op === '^' || op === '%' || op === 'atan2';
}

export function isComparison(op: BinaryOp): boolean {
  return op === '==' || op === '!=' || op === '>' || op === '<' || op === '>=' || op === '<=';
}

/** Go's math.Mod: the result has the sign of the dividend (as JS `%`). */
export function scalarBinop(op: BinaryOp, l: number, r: number): number {
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return l / r;
    case '^':
      return goPow(l, r);
    case '%':
      return l % r;
    case '==':
      return bool(l === r);
    case '!=':
      return bool(l !== r);
    case '>':
      return bool(l > r);
    case '<':
      return bool(l < r);
    case '>=':
      return bool(l >= r);
    case '<=':
      return bool(l <= r);
    case 'atan2':
      return Math.atan2(l, r);
    default:
      throw execError(`operator "${op}" not allowed for scalar operations`);
  }
}

/** Go's math.Pow differs from JS for 1^±Inf and 1^NaN (Go: 1) and (-1)^±Inf (Go: 1). */
export function goPow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

/** Whether the comparison `l op r` holds (`op` must be a comparison operator). */
export function comparisonHolds(op: BinaryOp, l: number, r: number): boolean {
  switch (op) {
    case '==':
      return l === r;
    case '!=':
      return l !== r;
    case '>':
      return l > r;
    case '<':
      return l < r;
    case '>=':
      return l >= r;
    case '<=':
      return l <= r;
    default:
      throw execError(`operator "${op}" is not a comparison`);
  }
}

/** The value of `l op r` and whether a filtering comparison keeps the element (then the value is `l`). */
function elemBinop(op: BinaryOp, l: number, r: number): [number, boolean] {
  return isComparison(op) ? [l, comparisonHolds(op, l, r)] : [scalarBinop(op, l, r), true];
}

function matchLabels(metric: Labels, m: VectorMatching): Labels {
  if (m.on) return metric.keep(...m.matchingLabels);
  return metric.without('__name__', ...m.matchingLabels);
}

/**
 * Arithmetic and comparison between the vectors of one step with vector matching (upstream's
 * VectorBinop); the step-by-step path for inputs where `vectorBinopSeries` cannot decide.
 */
export function vectorBinop(
  op: BinaryOp,
  lhsIn: readonly Sample[],
  rhsIn: readonly Sample[],
  m: VectorMatching,
  returnBool: boolean,
  delayedNameRemoval: boolean,
  cache: BinopCache,
  site: BinopSite,
): Sample[] {
  if (lhsIn.length === 0 || rhsIn.length === 0) return [];
  const oneToMany = m.card === 'one-to-many';
  const [lhs, rhs] = oneToMany ? [rhsIn, lhsIn] : [lhsIn, rhsIn];
  const right = new Map<string, Sample>();
  for (const rs of rhs) {
    const sig = cache.signature(rs.metric, m);
    const dup = right.get(sig);
    if (dup !== undefined) {
      let [a, b] = [rs.metric.toString(), dup.metric.toString()];
      if (a > b) [a, b] = [b, a];
      throw execError(
        `found duplicate series for the match group ${matchLabels(rs.metric, m).toString()} on the ${oneToMany ? 'left' : 'right'} hand-side of the operation: [${a}, ${b}];many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    right.set(sig, rs);
  }
  const matchedOne = new Set<string>();
  const matchedMany = new Map<string, Set<string>>();
  const out: Sample[] = [];
  for (const ls of lhs) {
    const sig = cache.signature(ls.metric, m);
    const rs = right.get(sig);
    if (rs === undefined) continue;
    let [l, r] = [ls.f, rs.f];
    let [lh, rh] = [ls.h, rs.h];
    if (oneToMany) [l, r, lh, rh] = [r, l, rh, lh];
    let value: number;
    let keep: boolean;
    let h: FloatHistogram | undefined;
    if (lh === undefined && rh === undefined) [value, keep] = elemBinop(op, l, r);
    else {
      const res = histogramElemBinop(op, l, lh, r, rh, site);
      if (res === undefined) continue;
      ({ f: value, keep, h } = res);
    }
    const v = returnBool ? (keep ? 1 : 0) : value;
    const dropName = !delayedNameRemoval && returnBool;
    let byRight = cache.results.get(ls.metric);
    if (byRight === undefined) cache.results.set(ls.metric, (byRight = new Map()));
    let metric = byRight.get(rs.metric);
    if (metric === undefined) {
      metric = resultMetric(ls.metric, rs.metric, op, m, dropName);
      byRight.set(rs.metric, metric);
    }
    if (m.card === 'one-to-one') {
      if (matchedOne.has(sig)) throw execError('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
      matchedOne.add(sig);
    } else {
      let inserted = matchedMany.get(sig);
      if (inserted === undefined) matchedMany.set(sig, (inserted = new Set()));
      const k = metric.key();
      if (inserted.has(k)) throw execError('multiple matches for labels: grouping labels must ensure unique matches');
      inserted.add(k);
    }
    if (!keep && !returnBool) continue;
    out.push(returnBool ? { metric, t: ls.t, f: v, dropName: true } : h !== undefined ? { metric, t: ls.t, f: v, h } : { metric, t: ls.t, f: v });
  }
  return out;
}

/** The labels of `lhs op rhs`'s result element (upstream's resultMetric). */
export function resultMetric(lhs: Labels, rhs: Labels, op: BinaryOp, m: VectorMatching, dropName: boolean): Labels {
  const b = lhs.builder();
  if (dropName || changesMetricSchema(op)) b.delete('__name__', '__type__', '__unit__');
  if (m.card === 'one-to-one') {
    if (m.on) {
      const keep = new Set(m.matchingLabels);
      b.filter((n) => keep.has(n));
    } else b.delete(...m.matchingLabels);
  }
  for (const ln of m.include) {
    const v = rhs.get(ln);
    if (v !== '') b.set(ln, v);
    else b.delete(ln);
  }
  return b.labels();
}
