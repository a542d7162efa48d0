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
 * `sum`, `avg`, `count`, `group`, `min`, `max`, `stddev` and `stdvar` over every step, group by
 * group: the points of each member series land in per-step slots (typed arrays of one step grid,
 * reused for every group) instead of every series being scanned at every step. Within a group the
 * members are folded in input order, so for each step the values arrive in the order of the
 * step-by-step evaluation and the Kahan sums, avg's switch to an incremental mean on overflow,
 * Welford's variance and the NaN handling of min/max give the same bits. The slots cost one step
 * grid, not one per group: many groups × many steps allocate nothing more.
 */
export function aggregateBySeries(ev: Evaluator, op: string, input: readonly EvalSeries[], seriesToGroup: readonly number[], outLabels: readonly Labels[]): EvalSeries[] {
  const { start, interval } = ev.s;
  const steps = ev.numSteps;
  const value = new Float64Array(steps);
  const kahan = new Float64Array(steps);
  const count = new Float64Array(steps);
  // avg's incremental mean (after its sum overflowed) and stddev/stdvar's running mean.
  const mean = op === 'avg' || op === 'stddev' || op === 'stdvar' ? new Float64Array(steps) : undefined;
  const incremental = op === 'avg' ? new Uint8Array(steps) : undefined;
  const members = membersByGroup(seriesToGroup, outLabels.length);
  const out: EvalSeries[] = [];
  let produced = 0;
  let folded = 0;
  for (let g = 0; g < outLabels.length; g++) {
    count.fill(0);
    incremental?.fill(0);
    let dropName = false;
    for (let m = members.offsets[g]!; m < members.offsets[g + 1]!; m++) {
      if (folded++ % CHECK_EVERY === 0) ev.checkAbort();
      const s = input[members.series[m]!]!;
      if (s.dropName === true && s.ts.length > 0) dropName = true;
      for (let k = 0; k < s.ts.length; k++) {
        const slot = Math.round((s.ts[k]! - start) / interval);
        const f = s.fs[k]!;
        const n = count[slot]!;
        count[slot] = n + 1;
        if (n === 0) {
          kahan[slot] = 0;
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
    const ts: number[] = [];
    const fs: number[] = [];
    for (let k = 0; k < steps; k++) {
      const n = count[k]!;
      if (n === 0) continue;
      ts.push(start + k * interval);
      fs.push(finalValue(op, n, value[k]!, kahan[k]!, mean?.[k] ?? 0, incremental?.[k] === 1));
    }
    if (ts.length === 0) continue;
    produced += ts.length;
    out.push(dropName ? { metric: outLabels[g]!, ts, fs, dropName: true } : { metric: outLabels[g]!, ts, fs });
  }
  ev.addSamples(produced);
  return out;
}

/** The input series of each group in input order: those of group g are `series[offsets[g]] … series[offsets[g + 1] - 1]`. */
function membersByGroup(seriesToGroup: readonly number[], groups: number): { offsets: Int32Array; series: Int32Array } {
  const offsets = new Int32Array(groups + 1);
  for (const g of seriesToGroup) offsets[g + 1]!++;
  for (let g = 0; g < groups; g++) offsets[g + 1]! += offsets[g]!;
  const next = offsets.slice(0, groups);
  const series = new Int32Array(seriesToGroup.length);
  for (let si = 0; si < seriesToGroup.length; si++) series[next[seriesToGroup[si]!]!++] = si;
  return { offsets, series };
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
