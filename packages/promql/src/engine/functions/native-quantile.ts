import type { Bucket, FloatHistogram } from '@pyrometer/model';

/** What a native histogram's quantile or fraction found beside its value: NaN observations. */
export type NaNNote = 'nan-result' | 'nan-skew' | 'nan-excluded' | undefined;

/** A bucket whose bounds the interpolation may move (the zero bucket's, to 0). */
interface MovableBucket {
  lower: number;
  upper: number;
  count: number;
}

function mutable(b: Bucket): MovableBucket {
  return { lower: b.lower, upper: b.upper, count: b.count };
}

/** Where a value lies within a bucket, 0..1: linearly, or on a log scale for exponential buckets (negative ones mirrored). */
function fractionBelow(b: MovableBucket, v: number, linear: boolean): number {
  if (linear) return (v - b.lower) / (b.upper - b.lower);
  const logLower = Math.log2(Math.abs(b.lower));
  const logUpper = Math.log2(Math.abs(b.upper));
  const logV = Math.log2(Math.abs(v));
  if (v > 0) return (logV - logLower) / (logUpper - logLower);
  return 1 - (logV - logUpper) / (logLower - logUpper);
}

/**
 * The φ-quantile of a native histogram (upstream's HistogramQuantile): the rank is found walking
 * the buckets from the low end (φ < 0.5, or NaN observations) or the high end, then interpolated
 * exponentially inside an exponential bucket and linearly in the zero bucket and custom buckets
 * (0 taken as the natural bound of a histogram with buckets on one side only).
 */
export function nativeQuantile(q: number, h: FloatHistogram): { value: number; note: NaNNote } {
  if (q < 0) return { value: -Infinity, note: undefined };
  if (q > 1) return { value: Infinity, note: undefined };
  if (h.count === 0 || Number.isNaN(q)) return { value: NaN, note: undefined };
  const forward = Number.isNaN(h.sum) || q < 0.5;
  const all = h.allBuckets();
  const buckets = forward ? all : all.reverse();
  let rank = forward ? q * h.count : (1 - q) * h.count;
  let count = 0;
  let i = 0;
  let bucket: MovableBucket = { lower: 0, upper: 0, count: 0 };
  for (; i < buckets.length; i++) {
    const b = buckets[i]!;
    bucket = mutable(b);
    if (b.count === 0) continue;
    count += b.count;
    if (count >= rank) break;
  }
  const custom = h.usesCustomBuckets();
  if (!custom && bucket.lower < 0 && bucket.upper > 0) {
    if (h.negativeBuckets.length === 0 && h.positiveBuckets.length > 0) bucket.lower = 0;
    else if (h.positiveBuckets.length === 0 && h.negativeBuckets.length > 0) bucket.upper = 0;
  } else if (custom) {
    if (bucket.lower === -Infinity) {
      if (bucket.upper <= 0) return { value: bucket.upper, note: undefined };
      bucket.lower = 0;
    } else if (bucket.upper === Infinity) {
      return { value: bucket.lower, note: undefined };
    }
  }
  if (count > h.count) count = h.count;
  if (count < rank) {
    if (Number.isNaN(h.sum)) return { value: NaN, note: 'nan-result' };
    return { value: bucket.upper, note: undefined };
  }
  if (forward) rank -= count - bucket.count;
  else rank = count - rank;
  let note: NaNNote;
  if (Number.isNaN(h.sum)) {
    for (let j = i + 1; j < buckets.length; j++) count += buckets[j]!.count;
    if (count < h.count) note = 'nan-skew';
  }
  const fraction = rank / bucket.count;
  if (custom || (bucket.lower <= 0 && bucket.upper >= 0)) return { value: bucket.lower + (bucket.upper - bucket.lower) * fraction, note };
  const logLower = Math.log2(Math.abs(bucket.lower));
  const logUpper = Math.log2(Math.abs(bucket.upper));
  if (bucket.lower > 0) return { value: 2 ** (logLower + (logUpper - logLower) * fraction), note };
  return { value: -(2 ** (logUpper + (logLower - logUpper) * (1 - fraction))), note };
}

/**
 * The fraction of a native histogram's observations between lower and upper (upstream's
 * HistogramFraction), interpolated as {@link nativeQuantile} does; NaN observations count in no
 * bucket (noted).
 */
export function nativeFraction(lower: number, upper: number, h: FloatHistogram): { value: number; note: NaNNote } {
  if (h.count === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return { value: NaN, note: undefined };
  if (lower >= upper) return { value: 0, note: undefined };
  const custom = h.usesCustomBuckets();
  const buckets = h.allBuckets();
  let count = 0;
  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  let i = 0;
  for (; i < buckets.length; i++) {
    const b = mutable(buckets[i]!);
    count += b.count;
    let zeroBucket = false;
    if (b.lower <= 0 && b.upper >= 0) {
      zeroBucket = true;
      if (h.negativeBuckets.length === 0 && h.positiveBuckets.length > 0) b.lower = 0;
      else if (h.positiveBuckets.length === 0 && h.negativeBuckets.length > 0) b.upper = 0;
    }
    const linear = custom || zeroBucket;
    // An infinite-width bucket adds nothing by interpolation (a -Inf lower bound counts whole).
    const rankAt = (v: number): number => (linear && b.lower === -Infinity ? b.count : rank + b.count * fractionBelow(b, v, linear));
    if (!lowerSet && b.lower >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && b.lower >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && b.lower < lower && b.upper > lower) {
      lowerRank = rankAt(lower);
      lowerSet = true;
    }
    if (!upperSet && b.lower < upper && b.upper > upper) {
      upperRank = rankAt(upper);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank += b.count;
  }
  let note: NaNNote;
  if (Number.isNaN(h.sum)) {
    for (let j = i + 1; j < buckets.length; j++) count += buckets[j]!.count;
    if (count < h.count) note = 'nan-excluded';
  } else {
    count = h.count;
  }
  if (!lowerSet || lowerRank > count) lowerRank = count;
  if (!upperSet || upperRank > count) upperRank = count;
  return { value: (upperRank - lowerRank) / h.count, note };
}
