import type { FloatHistogram } from './float-histogram.js';
import { forEachBucket, LayoutBuilder } from './spans.js';

/** Whether two custom-bucket bound lists are equal (absent equals empty). */
export function customBoundsMatch(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** The bounds both ascending lists have. */
function intersectBounds(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push(a[i]!);
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return out;
}

/**
 * Adds (or subtracts) two custom-bucket histograms whose bounds differ: both are mapped onto the
 * bounds they share (a bucket lands in the first shared bucket whose bound is ≥ its own, or in
 * +Inf), and empty result buckets are dropped. Changes `h` (layout and bounds), not `other`.
 */
export function addWithMismatchedBounds(h: FloatHistogram, other: FloatHistogram, subtract: boolean): void {
  const shared = intersectBounds(h.customValues ?? [], other.customValues ?? []);
  const target = new Array<number>(shared.length + 1).fill(0);
  const map = (src: FloatHistogram, sign: number): void => {
    const bounds = src.customValues ?? [];
    let k = 0;
    forEachBucket(src.positiveSpans, src.positiveBuckets, (index, value) => {
      let t = target.length - 1;
      if (index < bounds.length) {
        const bound = bounds[index]!;
        while (k < shared.length && shared[k]! < bound) k++;
        if (k < shared.length) t = k;
      }
      if (sign < 0) target[t]! -= value;
      else target[t]! += value;
    });
  };
  map(h, 1);
  map(other, subtract ? -1 : 1);
  const out = new LayoutBuilder();
  for (let i = 0; i < target.length; i++) if (target[i] !== 0) out.push(i, target[i]!);
  h.positiveSpans = out.spans;
  h.positiveBuckets = out.buckets;
  h.customValues = shared;
}

/**
 * Counter reset detection between custom-bucket histograms with different bounds: between any two
 * consecutive bounds both have, the count of the buckets in that stretch must not have gone down.
 */
export function resetWithMismatchedBounds(curr: FloatHistogram, prev: FloatHistogram): boolean {
  const currBuckets = curr.positiveBucketList();
  const prevBuckets = prev.positiveBucketList();
  const currBounds = curr.customValues ?? [];
  const prevBounds = prev.customValues ?? [];
  let ci = 0;
  let pi = 0;
  let cb = 0;
  let pb = 0;
  while (ci <= currBounds.length && pi <= prevBounds.length) {
    const cBound = ci < currBounds.length ? currBounds[ci]! : Infinity;
    const pBound = pi < prevBounds.length ? prevBounds[pi]! : Infinity;
    if (cBound === pBound) {
      let currSum = 0;
      while (cb < currBuckets.length && currBuckets[cb]!.upper <= cBound) currSum += currBuckets[cb++]!.count;
      let prevSum = 0;
      while (pb < prevBuckets.length && prevBuckets[pb]!.upper <= cBound) prevSum += prevBuckets[pb++]!.count;
      if (currSum < prevSum) return true;
      ci++;
      pi++;
    } else if (cBound < pBound) ci++;
    else pi++;
  }
  return false;
}
