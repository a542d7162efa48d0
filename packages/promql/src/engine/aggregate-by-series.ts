import type { Labels } from '@pyrometer/model';
import type { Evaluator } from './evaluator.js';
import { kahanCompensation } from './math-util.js';
import { type EvalSeries, evalSeries } from './series-data.js';

/**
 * The per-step state of one group, in slots of one step grid (reused for every group): a fold
 * adds a member series' points to it, a finish turns each slot's state into the group's value.
 */
class Slots {
  readonly value: Float64Array;
  readonly kahan: Float64Array;
  readonly count: Float64Array;
  /** avg's incremental mean (after its sum overflowed) and stddev/stdvar's running mean. */
  readonly mean: Float64Array;
  /** 1 where avg switched to an incremental mean. */
  readonly incremental: Uint8Array;

  constructor(
    private readonly start: number,
    private readonly interval: number,
    steps: number,
  ) {
    this.value = new Float64Array(steps);
    this.kahan = new Float64Array(steps);
    this.count = new Float64Array(steps);
    this.mean = new Float64Array(steps);
    this.incremental = new Uint8Array(steps);
  }

  /** Starts a new group. */
  clear(): void {
    this.count.fill(0);
    this.incremental.fill(0);
  }

  /** The slot of step time `t`. */
  slotOf(t: number): number {
    return Math.round((t - this.start) / this.interval);
  }

  /** Counts `f` into its slot and returns how many values the slot had before; the first sets its value (compensation 0). */
  counted(slot: number, f: number): number {
    const n = this.count[slot]!;
    this.count[slot] = n + 1;
    if (n === 0) {
      this.value[slot] = f;
      this.kahan[slot] = 0;
    }
    return n;
  }
}

/**
 * One aggregation: `fold` adds a member series to the group's slots, `finish` leaves the group's
 * value in `value` of every slot with a count. Each operation has loops of its own (not one loop
 * switching on the operation), so V8 compiles each with only its own arithmetic in it and a query
 * with a new operation does not make it recompile the others'.
 */
interface SlotAggregation {
  fold(s: EvalSeries, slots: Slots): void;
  finish(slots: Slots, steps: number): void;
}

const countAggregation: SlotAggregation = {
  fold: (s, a) => {
    for (let k = 0; k < s.ts.length; k++) a.counted(a.slotOf(s.ts[k]!), s.fs[k]!);
  },
  finish: (a, steps) => {
    for (let k = 0; k < steps; k++) a.value[k] = a.count[k]!;
  },
};

function varianceFold(s: EvalSeries, a: Slots): void {
  const { value, mean } = a;
  for (let k = 0; k < s.ts.length; k++) {
    const slot = a.slotOf(s.ts[k]!);
    const f = s.fs[k]!;
    const n = a.counted(slot, f);
    if (n === 0) {
      value[slot] = Number.isFinite(f) ? 0 : NaN;
      mean[slot] = f;
      continue;
    }
    const delta = f - mean[slot]!;
    mean[slot] = mean[slot]! + delta / (n + 1);
    value[slot] = value[slot]! + delta * (f - mean[slot]!);
  }
}

/** max (`max`) or min: a later value replaces the kept one when strictly beyond it, or when the kept one is NaN. */
function extremeFold(s: EvalSeries, a: Slots, max: boolean): void {
  const { value } = a;
  for (let k = 0; k < s.ts.length; k++) {
    const slot = a.slotOf(s.ts[k]!);
    const f = s.fs[k]!;
    if (a.counted(slot, f) === 0) continue;
    const kept = value[slot]!;
    if ((max ? kept < f : kept > f) || Number.isNaN(kept)) value[slot] = f;
  }
}

const SLOT_AGGREGATIONS: Record<string, SlotAggregation> = {
  sum: {
    fold: (s, a) => {
      const { value, kahan } = a;
      for (let k = 0; k < s.ts.length; k++) {
        const slot = a.slotOf(s.ts[k]!);
        const f = s.fs[k]!;
        if (a.counted(slot, f) === 0) continue;
        const v = value[slot]!;
        kahan[slot] = kahanCompensation(f, v, kahan[slot]!);
        value[slot] = v + f;
      }
    },
    finish: (a, steps) => {
      for (let k = 0; k < steps; k++) a.value[k] = a.value[k]! + a.kahan[k]!;
    },
  },
  avg: {
    fold: (s, a) => {
      for (let k = 0; k < s.ts.length; k++) {
        const slot = a.slotOf(s.ts[k]!);
        const f = s.fs[k]!;
        const n = a.counted(slot, f);
        if (n > 0) foldAvg(a, slot, f, n + 1);
      }
    },
    finish: (a, steps) => {
      for (let k = 0; k < steps; k++) {
        const n = a.count[k]!;
        a.value[k] = a.incremental[k] === 1 ? a.mean[k]! + a.kahan[k]! : a.value[k]! / n + a.kahan[k]! / n;
      }
    },
  },
  count: countAggregation,
  group: {
    fold: countAggregation.fold,
    finish: (a, steps) => a.value.fill(1, 0, steps),
  },
  max: { fold: (s, a) => extremeFold(s, a, true), finish: () => {} },
  min: { fold: (s, a) => extremeFold(s, a, false), finish: () => {} },
  stdvar: {
    fold: varianceFold,
    finish: (a, steps) => {
      for (let k = 0; k < steps; k++) a.value[k] = a.value[k]! / a.count[k]!;
    },
  },
  stddev: {
    fold: varianceFold,
    finish: (a, steps) => {
      for (let k = 0; k < steps; k++) a.value[k] = Math.sqrt(a.value[k]! / a.count[k]!);
    },
  },
};

/** Whether {@link aggregateBySeries} computes `op`. */
export function aggregatesBySeries(op: string): boolean {
  return SLOT_AGGREGATIONS[op] !== undefined;
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
  const aggregation = SLOT_AGGREGATIONS[op]!;
  const steps = ev.numSteps;
  const slots = new Slots(ev.s.start, ev.s.interval, steps);
  const members = membersByGroup(seriesToGroup, outLabels.length);
  const out: EvalSeries[] = [];
  let produced = 0;
  let folded = 0;
  for (let g = 0; g < outLabels.length; g++) {
    slots.clear();
    let dropName = false;
    for (let m = members.offsets[g]!; m < members.offsets[g + 1]!; m++) {
      if (folded++ % CHECK_EVERY === 0) ev.checkAbort();
      const s = input[members.series[m]!]!;
      if (s.dropName === true && s.ts.length > 0) dropName = true;
      aggregation.fold(s, slots);
    }
    aggregation.finish(slots, steps);
    const group = groupSeries(slots, steps, ev.s.start, ev.s.interval);
    if (group === undefined) continue;
    produced += group.ts.length;
    out.push(evalSeries(outLabels[g]!, group.ts, group.fs, dropName));
  }
  ev.addSamples(produced);
  return out;
}

/** The group's points: the value of every slot with a count (undefined: none has). */
function groupSeries(slots: Slots, steps: number, start: number, interval: number): { ts: number[]; fs: number[] } | undefined {
  const ts: number[] = [];
  const fs: number[] = [];
  for (let k = 0; k < steps; k++) {
    if (slots.count[k] === 0) continue;
    ts.push(start + k * interval);
    fs.push(slots.value[k]!);
  }
  return ts.length === 0 ? undefined : { ts, fs };
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
function foldAvg(a: Slots, slot: number, f: number, count: number): void {
  const { value, kahan, mean, incremental } = a;
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
