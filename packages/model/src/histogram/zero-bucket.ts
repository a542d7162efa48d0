import type { FloatHistogram } from './float-histogram.js';

/**
 * The zero count `h` would have with the zero threshold widened to `larger` (≥ its own), and the
 * threshold that really gives: when `larger` falls inside a populated bucket, the threshold moves
 * out to that bucket's far bound and its count is included. `h` is not changed.
 */
export function zeroCountForLargerThreshold(h: FloatHistogram, larger: number): [count: number, threshold: number] {
  if (larger === h.zeroThreshold) return [h.zeroCount, larger];
  if (larger < h.zeroThreshold) throw new RangeError(`new threshold ${larger} is less than old threshold ${h.zeroThreshold}`);
  const positive = h.positiveBucketList();
  const negative = h.negativeBucketList();
  outer: for (;;) {
    let count = h.zeroCount;
    for (const b of positive) {
      if (b.lower >= larger) break;
      count += b.count;
      if (b.upper > larger) {
        if (b.count !== 0) larger = b.upper;
        break;
      }
    }
    for (const b of negative) {
      if (b.upper <= -larger) break;
      count += b.count;
      if (b.lower < -larger) {
        if (b.count !== 0) {
          // The positive side was counted with a threshold that is now too small: start again.
          larger = -b.lower;
          continue outer;
        }
        break;
      }
    }
    return [count, larger];
  }
}

/** Zeroes the buckets inside the zero bucket (their counts already moved to the zero count) and compacts. */
function trimBucketsInZeroBucket(h: FloatHistogram): void {
  let i = 0;
  for (const b of h.positiveBucketList()) {
    if (b.lower >= h.zeroThreshold) break;
    h.positiveBuckets[i++] = 0;
  }
  i = 0;
  for (const b of h.negativeBucketList()) {
    if (b.upper <= -h.zeroThreshold) break;
    h.negativeBuckets[i++] = 0;
  }
  h.compact(0);
}

/**
 * Widens the zero buckets of `h` and `other` to a common threshold that cuts through no populated
 * bucket of either. `h` is changed accordingly; `other` is not: the zero count it would have is
 * returned. NaN thresholds are left alone (no common threshold exists).
 */
export function reconcileZeroBuckets(h: FloatHistogram, other: FloatHistogram): number {
  let otherCount = other.zeroCount;
  let otherThreshold = other.zeroThreshold;
  if (Number.isNaN(otherThreshold) || Number.isNaN(h.zeroThreshold)) return otherCount;
  while (otherThreshold !== h.zeroThreshold) {
    if (h.zeroThreshold > otherThreshold) [otherCount, otherThreshold] = zeroCountForLargerThreshold(other, h.zeroThreshold);
    if (otherThreshold > h.zeroThreshold) {
      [h.zeroCount, h.zeroThreshold] = zeroCountForLargerThreshold(h, otherThreshold);
      trimBucketsInZeroBucket(h);
    }
  }
  return otherCount;
}
