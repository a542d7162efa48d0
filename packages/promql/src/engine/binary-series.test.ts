import { Labels } from '@pyrometer/model';
import { describe, expect, it } from 'vitest';
import { Annotations } from '../annotations.js';
import type { BinaryOp } from '../parser/index.js';
import { comparisonHolds, isComparison, scalarBinop } from './binary.js';
import { vectorScalarSeries } from './binary-series.js';
import { evalSeries, type EvalSeries } from './series-data.js';

const site = { annotations: new Annotations(), pos: { start: 0, end: 0 } };
const EDGES = [0, -0, 1, -1, 2.5, 7, NaN, Infinity, -Infinity, 1e308];

/** `vector op scalar` of one series holding every edge value, the scalar constant `x`. */
function run(op: BinaryOp, series: EvalSeries, x: number, swap: boolean, returnBool: boolean): EvalSeries[] {
  const scalar = { values: Array.from(series.ts, () => x), start: 0, interval: 1000 };
  return vectorScalarSeries(op, [series], scalar, swap, returnBool, false, site);
}

describe('vectorScalarSeries', () => {
  const ts = EDGES.map((_, i) => i * 1000);
  const input = evalSeries(Labels.from({ __name__: 'x', job: 'a' }), ts, EDGES);

  it('gives every operator and side the points of the per-point rules', () => {
    for (const op of ['+', '-', '*', '/', '%', '^', 'atan2', '==', '!=', '>', '<', '>=', '<='] as BinaryOp[]) {
      for (const x of EDGES) {
        for (const swap of [false, true]) {
          for (const returnBool of isComparison(op) ? [false, true] : [false]) {
            const expected: [number, number][] = [];
            for (const [i, f] of EDGES.entries()) {
              const [l, r] = swap ? [x, f] : [f, x];
              if (!isComparison(op)) expected.push([ts[i]!, scalarBinop(op, l, r)]);
              else if (returnBool) expected.push([ts[i]!, comparisonHolds(op, l, r) ? 1 : 0]);
              else if (comparisonHolds(op, l, r)) expected.push([ts[i]!, f]);
            }
            const out = run(op, input, x, swap, returnBool);
            const got = out.flatMap((s) => Array.from(s.ts, (t, i): [number, number] => [t, s.fs[i]!]));
            expect(got, `x ${op} ${x} swap=${swap} bool=${returnBool}`).toEqual(expected);
          }
        }
      }
    }
  });

  it('makes series of the one shape every series of the engine has', () => {
    const named = evalSeries(Labels.from({ job: 'b' }), [0], [1], true);
    for (const out of [run('*', input, 2, false, false), run('>', input, 0, false, false), run('==', named, 1, true, true)]) {
      for (const s of out) expect(Object.keys(s)).toEqual(['metric', 'ts', 'fs', 'hs', 'dropName']);
    }
  });
});
