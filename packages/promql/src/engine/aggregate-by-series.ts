import type { Labels } from '@pyrometer/model';
import type { Evaluator } from './evaluator.js';
import { kahanCompensation } from './math-util.js';
import type { EvalSeries } from './series-data.js';

/** The aggregations whose per-step value depends only on the values in input order, not on keeping them. */
const BY_SERIES_OPS = new Set(['sum', 'avg', 'count', 'group', 'min', 'max', 'stddev', 'stdvar']);

/** Whether {@link aggregateBySeries} computes `op`. */
export function aggregatesBySeries(op: string): boolean {
  return BY_SERIES_OPS.has(op);
}

/** How many input series are folded between two cancellation checks. */
const CHECK_EVERY = 256;

/**
 * `sum`, `avg`, `count`, `group`, `min`, `max`, `stddev` and `stdvar` over every step, walking each
 * input series once (its points land in its group's per-step slots) instead of scanning every
 * series at every step. For each group and step the values arrive in input order, as in the
 * step-by-step evaluation, so the Kahan sums, avg's switch to an incremental mean on overflow,
 * Welford's variance and the NaN handling of min/max give the same bits.
 */
export function aggregateBySeries(ev: Evaluator, op: string, input: readonly EvalSeries[], seriesToGroup: readonly number[], outLabels: readonly Labels[]): EvalSeries[] {
  const { start, interval } = ev.s;
  const steps = ev.numSteps;
  const slots = outLabels.length * steps;
  const value = new Float64Array(slots);
  const kahan = new Float64Array(slots);
  const count = new Float64Array(slots);
  // avg's incremental mean (after its sum overflowed) and stddev/stdvar's running mean.
  const mean = op === 'avg' || op === 'stddev' || op === 'stdvar' ? new Float64Array(slots) : undefined;
  const incremental = op === 'avg' ? new Uint8Array(slots) : undefined;
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
        if (op === 'stddev' || op === 'stdvar') {
          value[slot] = Number.isFinite(f) ? 0 : NaN;
          mean![slot] = f;
        } else value[slot] = op === 'group' ? 1 : f;
        continue;
      }
      switch (op) {
        case 'sum': {
          const v = value[slot]!;
          kahan[slot] = kahanCompensation(f, v, kahan[slot]!);
          value[slot] = v + f;
          break;
        }
        case 'avg':
          foldAvg(value, kahan, mean!, incremental!, slot, f, n + 1);
          break;
        case 'stddev':
        case 'stdvar': {
          const delta = f - mean![slot]!;
          mean![slot] = mean![slot]! + delta / (n + 1);
          value[slot] = value[slot]! + delta * (f - mean![slot]!);
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
      fs.push(finalValue(op, n, value[slot]!, kahan[slot]!, mean?.[slot] ?? 0, incremental?.[slot] === 1));
    }
    if (ts.length === 0) continue;
    produced += ts.length;
    out.push(dropName[g] === 1 ? { metric: outLabels[g]!, ts, fs, dropName: true } : { metric: outLabels[g]!, ts, fs });
  }
  ev.addSamples(produced);
  return out;
}

/**
 * Adds `f`, the `count`-th value of a slot, to an average: a Kahan sum while it stays finite, then
 * (as upstream) an incremental mean with its own compensation.
 */
function foldAvg(value: Float64Array, kahan: Float64Array, mean: Float64Array, incremental: Uint8Array, slot: number, f: number, count: number): void {
  if (incremental[slot] === 0) {
    const sum = value[slot]!;
    const next = sum + f;
    if (Number.isFinite(next) || Number.isNaN(next)) {
      kahan[slot] = kahanCompensation(f, sum, kahan[slot]!);
      value[slot] = next;
      return;
    }
    incremental[slot] = 1;
    mean[slot] = sum / (count - 1);
    kahan[slot] = kahan[slot]! / (count - 1);
  }
  const r = (count - 1) / count;
  const inc = f / count;
  kahan[slot] = kahanCompensation(inc, r * mean[slot]!, r * kahan[slot]!);
  mean[slot] = r * mean[slot]! + inc;
}

/** A slot's result from its state after `n` values. */
function finalValue(op: string, n: number, value: number, kahan: number, mean: number, incremental: boolean): number {
  switch (op) {
    case 'count':
      return n;
    case 'sum':
      return value + kahan;
    case 'avg':
      return incremental ? mean + kahan : value / n + kahan / n;
    case 'stdvar':
      return value / n;
    case 'stddev':
      return Math.sqrt(value / n);
    default:
      return value;
  }
}
