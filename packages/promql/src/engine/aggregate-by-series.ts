import type { Labels } from '@pyrometer/model';
import type { Evaluator } from './evaluator.js';
import { kahanCompensation } from './math-util.js';
import type { EvalSeries } from './series-data.js';

/** The aggregations whose per-step value depends only on the values in input order, not on keeping them. */
const BY_SERIES_OPS = new Set(['sum', 'count', 'group', 'min', 'max']);

/** Whether {@link aggregateBySeries} computes `op`. */
export function aggregatesBySeries(op: string): boolean {
  return BY_SERIES_OPS.has(op);
}

/** How many input series are folded between two cancellation checks. */
const CHECK_EVERY = 256;

/**
 * `sum`, `count`, `group`, `min` and `max` over every step, walking each input series once (its
 * points land in its group's per-step slots) instead of scanning every series at every step. For
 * each group and step the values arrive in input order, as in the step-by-step evaluation, so the
 * Kahan sums and the NaN handling of min/max give the same bits.
 */
export function aggregateBySeries(ev: Evaluator, op: string, input: readonly EvalSeries[], seriesToGroup: readonly number[], outLabels: readonly Labels[]): EvalSeries[] {
  const { start, interval } = ev.s;
  const steps = ev.numSteps;
  const slots = outLabels.length * steps;
  const value = new Float64Array(slots);
  const kahan = new Float64Array(slots);
  const count = new Float64Array(slots);
  const dropName = new Uint8Array(outLabels.length);
  for (let si = 0; si < input.length; si++) {
    if (si % CHECK_EVERY === 0) ev.checkAbort();
    const s = input[si]!;
    const g = seriesToGroup[si]!;
    const base = g * steps;
    if (s.dropName === true && s.ts.length > 0) dropName[g] = 1;
    for (let k = 0; k < s.ts.length; k++) {
      const slot = base + Math.round((s.ts[k]! - start) / interval);
      const f = s.fs[k]!;
      const n = count[slot]!;
      count[slot] = n + 1;
      if (n === 0) {
        value[slot] = op === 'group' ? 1 : f;
        continue;
      }
      switch (op) {
        case 'sum': {
          const v = value[slot]!;
          kahan[slot] = kahanCompensation(f, v, kahan[slot]!);
          value[slot] = v + f;
          break;
        }
        case 'max':
          if (value[slot]! < f || Number.isNaN(value[slot]!)) value[slot] = f;
          break;
        case 'min':
          if (value[slot]! > f || Number.isNaN(value[slot]!)) value[slot] = f;
          break;
        default:
          break;
      }
    }
  }
  const out: EvalSeries[] = [];
  let produced = 0;
  for (let g = 0; g < outLabels.length; g++) {
    const ts: number[] = [];
    const fs: number[] = [];
    for (let k = 0, slot = g * steps; k < steps; k++, slot++) {
      const n = count[slot]!;
      if (n === 0) continue;
      ts.push(start + k * interval);
      fs.push(op === 'count' ? n : op === 'sum' ? value[slot]! + kahan[slot]! : value[slot]!);
    }
    if (ts.length === 0) continue;
    produced += ts.length;
    out.push(dropName[g] === 1 ? { metric: outLabels[g]!, ts, fs, dropName: true } : { metric: outLabels[g]!, ts, fs });
  }
  ev.addSamples(produced);
  return out;
}
