import { bucketBound, isCustomBucketsSchema } from './bounds.js';
import { forEachBucket, type Span } from './spans.js';

/**
 * One bucket with its bounds and absolute count. Exponential buckets are (lower, upper] on the
 * positive side and [lower, upper) on the negative side; the zero bucket is [-threshold,
 * threshold]; custom buckets are (lower, upper], the first one [-Inf, upper]. `index` is the
 * bucket's index within its schema and side (irrelevant for the zero bucket).
 */
export interface Bucket {
  readonly lower: number;
  readonly upper: number;
  readonly lowerInclusive: boolean;
  readonly upperInclusive: boolean;
  readonly count: number;
  readonly index: number;
}

/** The buckets of one side in storage order (ascending index: away from zero), counts absolute. */
export function sideBuckets(spans: readonly Span[], counts: ArrayLike<number>, schema: number, positive: boolean, customValues: readonly number[] | undefined): Bucket[] {
  const out: Bucket[] = [];
  const custom = isCustomBucketsSchema(schema);
  forEachBucket(spans, counts, (index, count) => {
    const hi = bucketBound(index, schema, customValues);
    const lo = bucketBound(index - 1, schema, customValues);
    const lower = positive ? lo : -hi;
    const upper = positive ? hi : -lo;
    out.push({
      lower,
      upper,
      lowerInclusive: custom ? index === 0 : lower < 0,
      upperInclusive: custom ? true : upper > 0,
      count,
      index,
    });
  });
  return out;
}

/** Go's `Bucket.String()`: `[lower,upper):count` with inclusive bounds in square brackets. */
export function formatBucket(b: Bucket, formatCount: (v: number) => string, formatBound: (v: number) => string): string {
  return `${b.lowerInclusive ? '[' : '('}${formatBound(b.lower)},${formatBound(b.upper)}${b.upperInclusive ? ']' : ')'}:${formatCount(b.count)}`;
}
