import { type FloatHistogram, parseGoFloat } from '@pyrometer/model';
import { annotations } from '../../annotations.js';
import type { Sample } from '../../value.js';
import { almostEqual } from '../math-util.js';
import { dropMetricName } from '../labels-util.js';
import { nativeFraction, nativeQuantile, type NaNNote } from './native-quantile.js';
import type { FunctionContext } from './types.js';

interface Bucket {
  upper: number;
  count: number;
}

/**
 * The quantile of classic buckets (upstream's BucketQuantile): buckets sorted and coalesced by
 * upper bound, counts forced monotonic (reported), linear interpolation inside the bucket.
 */
function bucketQuantile(q: number, buckets: Bucket[]): { value: number; forced: boolean } {
  if (Number.isNaN(q)) return { value: NaN, forced: false };
  if (q < 0) return { value: -Infinity, forced: false };
  if (q > 1) return { value: Infinity, forced: false };
  const bs = coalesce(buckets);
  if (bs[bs.length - 1]!.upper !== Infinity) return { value: NaN, forced: false };
  let forced = false;
  let prev = bs[0]!.count;
  for (let i = 1; i < bs.length; i++) {
    const curr = bs[i]!.count;
    if (curr === prev) continue;
    if (almostEqual(prev, curr, 1e-12)) {
      bs[i]!.count = prev;
      continue;
    }
    if (curr < prev) {
      bs[i]!.count = prev;
      forced = true;
      continue;
    }
    prev = curr;
  }
  if (bs.length < 2) return { value: NaN, forced };
  const observations = bs[bs.length - 1]!.count;
  if (observations === 0) return { value: NaN, forced };
  let rank = q * observations;
  let b = 0;
  while (b < bs.length - 1 && !(bs[b]!.count >= rank)) b++;
  if (b === bs.length - 1) return { value: bs[bs.length - 2]!.upper, forced };
  if (b === 0 && bs[0]!.upper <= 0) return { value: bs[0]!.upper, forced };
  let start = 0;
  const end = bs[b]!.upper;
  let count = bs[b]!.count;
  if (b > 0) {
    start = bs[b - 1]!.upper;
    count -= bs[b - 1]!.count;
    rank -= bs[b - 1]!.count;
  }
  return { value: start + (end - start) * (rank / count), forced };
}

/**
 * The buckets of one label set without `le` at the current step. Kept in the call's memo across
 * steps (label sets repeat at every step), so a step only refills `buckets`.
 */
interface BucketGroup {
  metric: Sample['metric'];
  buckets: Bucket[];
  /** The step (`ctx.ts`) `buckets` belongs to. */
  ts: number;
}

/** What a bucket series' labels give, computed once per label set and call. */
interface ParsedBucket {
  le: string;
  upper: number | undefined;
  group: BucketGroup;
}

/** Groups classic bucket samples by their labels without `le`, warning about unparsable `le` values. */
function groupBuckets(vec: readonly Sample[], ctx: FunctionContext, argIndex: number): BucketGroup[] {
  const argPos = ctx.call.args[argIndex]!.pos;
  const groups: BucketGroup[] = [];
  for (const s of vec) {
    if (s.h !== undefined) continue; // native histograms are answered on their own (nativeResults)
    let parsed = ctx.memo.get(s.metric) as ParsedBucket | undefined;
    if (parsed === undefined) {
      const le = s.metric.get('le');
      const without = s.metric.without('le');
      const key = without.key();
      let group = ctx.memo.get(key) as BucketGroup | undefined;
      if (group === undefined) ctx.memo.set(key, (group = { metric: without, buckets: [], ts: NaN }));
      parsed = { le, upper: parseGoFloat(le), group };
      ctx.memo.set(s.metric, parsed);
    }
    if (parsed.upper === undefined) {
      ctx.annotations.add(annotations.badBucketLabel(ctx.delayedNameRemoval ? s.metric.metricName : '', parsed.le, argPos));
      continue;
    }
    const g = parsed.group;
    if (g.ts !== ctx.ts) {
      g.ts = ctx.ts;
      g.buckets = [];
      groups.push(g);
    }
    g.buckets.push({ upper: parsed.upper, count: s.f });
  }
  return groups;
}

/** Orders buckets by upper bound (module level: see the README's "Closures on a query's path"). */
function byUpperBound(a: Bucket, b: Bucket): number {
  return a.upper - b.upper;
}

function coalesce(buckets: Bucket[]): Bucket[] {
  buckets.sort(byUpperBound);
  const bs: Bucket[] = [];
  for (const b of buckets) {
    const last = bs[bs.length - 1];
    if (last !== undefined && last.upper === b.upper) last.count += b.count;
    else bs.push({ upper: b.upper, count: b.count });
  }
  return bs;
}

/** The fraction of observations between lower and upper (upstream's BucketFraction), interpolating linearly inside buckets. */
function bucketFraction(lower: number, upper: number, input: Bucket[]): number {
  const buckets = coalesce(input);
  if (buckets[buckets.length - 1]!.upper !== Infinity) return NaN;
  const count = buckets[buckets.length - 1]!.count;
  if (count === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;
  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  let lowerBound = buckets[0]!.upper <= 0 ? -Infinity : 0;
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    if (i > 0) lowerBound = buckets[i - 1]!.upper;
    const upperBound = b.upper;
    const interpolate = (v: number): number => (lowerBound === -Infinity ? b.count : rank + ((b.count - rank) * (v - lowerBound)) / (upperBound - lowerBound));
    if (!lowerSet && lowerBound >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && lowerBound >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && lowerBound < lower && upperBound > lower) {
      lowerRank = interpolate(lower);
      lowerSet = true;
    }
    if (!upperSet && lowerBound < upper && upperBound > upper) {
      upperRank = interpolate(upper);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank = b.count;
  }
  if (!lowerSet || lowerRank > count) lowerRank = count;
  if (!upperSet || upperRank > count) upperRank = count;
  return (upperRank - lowerRank) / count;
}

/**
 * One output sample per native histogram sample of `vec`, valued by `f`; the NaN observations it
 * notes become info annotations at the histogram argument.
 */
function nativeResults(vec: readonly Sample[], ctx: FunctionContext, argIndex: number, f: (h: FloatHistogram) => { value: number; note: NaNNote }): Sample[] {
  const out: Sample[] = [];
  for (const s of vec) {
    if (s.h === undefined) continue;
    const { value, note } = f(s.h);
    if (note !== undefined) {
      const name = s.metric.metricName;
      const pos = ctx.call.args[argIndex]!.pos;
      ctx.annotations.add(
        note === 'nan-result'
          ? annotations.nativeHistogramQuantileNaNResult(name, pos)
          : note === 'nan-skew'
            ? annotations.nativeHistogramQuantileNaNSkew(name, pos)
            : annotations.nativeHistogramFractionNaNs(name, pos),
      );
    }
    out.push({ metric: ctx.delayedNameRemoval ? s.metric : dropMetricName(s.metric), t: ctx.ts, f: value, dropName: true });
  }
  return out;
}

/** histogram_fraction(lower, upper, v) over native histograms and classic `le` buckets. */
export function histogramFraction(args: readonly Sample[][], ctx: FunctionContext): Sample[] {
  if (args[0]!.length === 0 || args[1]!.length === 0) return [];
  const lower = args[0]![0]!.f;
  const upper = args[1]![0]!.f;
  const out = nativeResults(args[2]!, ctx, 2, (h) => nativeFraction(lower, upper, h));
  for (const g of groupBuckets(args[2]!, ctx, 2)) {
    out.push({ metric: ctx.delayedNameRemoval ? g.metric : dropMetricName(g.metric), t: ctx.ts, f: bucketFraction(lower, upper, g.buckets), dropName: true });
  }
  return out;
}

/** histogram_quantile(φ, v) over native histograms and classic `le` buckets. */
export function histogramQuantile(args: readonly Sample[][], ctx: FunctionContext): Sample[] {
  const qv = args[0]!;
  const vec = args[1]!;
  if (qv.length === 0) return [];
  const q = qv[0]!.f;
  const argPos = ctx.call.args[1]!.pos;
  if (Number.isNaN(q) || q < 0 || q > 1) ctx.annotations.add(annotations.invalidQuantile(q, ctx.call.args[0]!.pos));
  const out = nativeResults(vec, ctx, 1, (h) => nativeQuantile(q, h));
  for (const g of groupBuckets(vec, ctx, 1)) {
    const { value, forced } = bucketQuantile(q, g.buckets);
    if (forced) ctx.annotations.add(annotations.histogramQuantileForcedMonotonicity(ctx.delayedNameRemoval ? g.metric.metricName : '', argPos));
    out.push({ metric: ctx.delayedNameRemoval ? g.metric : dropMetricName(g.metric), t: ctx.ts, f: value, dropName: true });
  }
  return out;
}
