import { Labels, MatchType } from '@pyrometer/model';
import type { Expr } from '../../parser/index.js';
import type { Sample } from '../../value.js';
import { dropMetricName } from '../labels-util.js';
import type { FunctionContext, VectorFunction } from './types.js';
import { naturalLess } from './natural-sort.js';

/** Applies `f` to every sample's value, dropping `__name__` (delayed when enabled). */
function simple(f: (v: number) => number): VectorFunction {
  return (args, ctx) => args[0]!.map((s) => ({ metric: ctx.delayedNameRemoval ? s.metric : dropMetricName(s.metric), t: s.t, f: f(s.f), dropName: true }));
}

function clamp(vec: readonly Sample[], min: number, max: number, ctx: FunctionContext): Sample[] {
  if (max < min) return [];
  return vec.map((s) => ({ metric: ctx.delayedNameRemoval ? s.metric : dropMetricName(s.metric), t: s.t, f: Math.max(min, Math.min(max, s.f)), dropName: true }));
}

/** Date functions: with no argument they use the evaluation time, else each sample's value as Unix seconds. */
function dateFn(f: (d: Date) => number): VectorFunction {
  return (args, ctx) => {
    if (args.length === 0) return [{ metric: Labels.EMPTY, t: ctx.ts, f: f(new Date(Math.trunc(ctx.ts / 1000) * 1000)) }];
    return args[0]!.map((s) => ({
      metric: ctx.delayedNameRemoval ? s.metric : dropMetricName(s.metric),
      t: s.t,
      f: Number.isFinite(s.f) ? f(new Date(Math.trunc(s.f) * 1000)) : dateOfNonFinite(s.f, f),
      dropName: true,
    }));
  };
}

/** Go converts ±Inf/NaN seconds to int64 min; mirror the year/month values Go computes for that instant. */
function dateOfNonFinite(_v: number, f: (d: Date) => number): number {
  return f(new Date(-8640000000000000));
}

function dayOfYear(d: Date): number {
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  return Math.floor((d.getTime() - start) / 86_400_000) + 1;
}

function sortBy(desc: boolean): VectorFunction {
  return (args) => {
    const vec = args[0]!.slice();
    // Go sorts with sort.Reverse over a NaN-first "less": NaN ends up last for sort_desc and first for sort.
    vec.sort((a, b) => {
      const an = Number.isNaN(a.f);
      const bn = Number.isNaN(b.f);
      if (an || bn) return an === bn ? 0 : an ? 1 : -1;
      return desc ? b.f - a.f : a.f - b.f;
    });
    return vec;
  };
}

function stringArgs(args: readonly Expr[], from: number): string[] {
  return args.slice(from).map((a) => (a.type === 'StringLiteral' ? a.value : ''));
}

function sortByLabel(desc: boolean): VectorFunction {
  return (args, ctx) => {
    const names = stringArgs(ctx.call.args, 1);
    const sign = desc ? -1 : 1;
    return args[0]!.slice().sort((a, b) => {
      for (const n of names) {
        const x = a.metric.get(n);
        const y = b.metric.get(n);
        if (x === y) continue;
        return naturalLess(x, y) ? -sign : sign;
      }
      return sign * Labels.compare(a.metric, b.metric);
    });
  };
}

/** The labels `absent()` gives its output: the equality matchers of the selector, minus repeated names. */
export function absentLabels(expr: Expr): Labels {
  let matchers;
  if (expr.type === 'VectorSelector') matchers = expr.matchers;
  else if (expr.type === 'MatrixSelector') matchers = expr.vectorSelector.matchers;
  else return Labels.EMPTY;
  const b = Labels.EMPTY.builder();
  const has = new Set<string>();
  for (const m of matchers) {
    if (m.name === '__name__') continue;
    if (m.type === MatchType.Equal && !has.has(m.name)) {
      b.set(m.name, m.value);
      has.add(m.name);
    } else b.delete(m.name);
  }
  return b.labels();
}

/** The functions over instant vectors and scalars, by name. */
export const VECTOR_FUNCTIONS: Record<string, VectorFunction> = {
  abs: simple(Math.abs),
  ceil: simple(Math.ceil),
  floor: simple(Math.floor),
  exp: simple(Math.exp),
  sqrt: simple(Math.sqrt),
  ln: simple(Math.log),
  log2: simple(Math.log2),
  log10: simple(Math.log10),
  sin: simple(Math.sin),
  cos: simple(Math.cos),
  tan: simple(Math.tan),
  asin: simple(Math.asin),
  acos: simple(Math.acos),
  atan: simple(Math.atan),
  sinh: simple(Math.sinh),
  cosh: simple(Math.cosh),
  tanh: simple(Math.tanh),
  asinh: simple(Math.asinh),
  acosh: simple(Math.acosh),
  atanh: simple(Math.atanh),
  rad: simple((v) => (v * Math.PI) / 180),
  deg: simple((v) => (v * 180) / Math.PI),
  sgn: simple((v) => (v < 0 ? -1 : v > 0 ? 1 : v)),
  pi: () => [{ metric: Labels.EMPTY, t: 0, f: Math.PI }],
  time: (_args, ctx) => [{ metric: Labels.EMPTY, t: ctx.ts, f: ctx.ts / 1000 }],
  vector: (args) => [{ metric: Labels.EMPTY, t: 0, f: args[0]![0]!.f }],
  scalar: (args) => {
    const v = args[0]!;
    return [{ metric: Labels.EMPTY, t: 0, f: v.length === 1 ? v[0]!.f : NaN }];
  },
  round: (args, ctx) => {
    const toNearest = args.length >= 2 ? args[1]![0]!.f : 1;
    const inv = 1 / toNearest;
    return simple((f) => Math.floor(f * inv + 0.5) / inv)(args, ctx);
  },
  clamp: (args, ctx) => clamp(args[0]!, args[1]![0]!.f, args[2]![0]!.f, ctx),
  clamp_max: (args, ctx) => clamp(args[0]!, -Infinity, args[1]![0]!.f, ctx),
  clamp_min: (args, ctx) => clamp(args[0]!, args[1]![0]!.f, Infinity, ctx),
  timestamp: (args, ctx) => args[0]!.map((s) => ({ metric: ctx.delayedNameRemoval ? s.metric : dropMetricName(s.metric), t: s.t, f: s.t / 1000, dropName: true })),
  absent: (args, ctx) => (args[0]!.length > 0 ? [] : [{ metric: absentLabels(ctx.call.args[0]!), t: ctx.ts, f: 1 }]),
  sort: sortBy(false),
  sort_desc: sortBy(true),
  sort_by_label: sortByLabel(false),
  sort_by_label_desc: sortByLabel(true),
  days_in_month: dateFn((d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()),
  day_of_month: dateFn((d) => d.getUTCDate()),
  day_of_week: dateFn((d) => d.getUTCDay()),
  day_of_year: dateFn(dayOfYear),
  hour: dateFn((d) => d.getUTCHours()),
  minute: dateFn((d) => d.getUTCMinutes()),
  month: dateFn((d) => d.getUTCMonth() + 1),
  year: dateFn((d) => d.getUTCFullYear()),
};
