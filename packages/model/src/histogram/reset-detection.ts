import { exponentialBound, isExponentialSchema } from './bounds.js';
import { customBoundsMatch, resetWithMismatchedBounds } from './custom-buckets.js';
import { CounterResetHint } from './counter-reset-hint.js';
import type { FloatHistogram } from './float-histogram.js';
import { forEachBucket, reduceLayout, type Span } from './spans.js';
import { zeroCountForLargerThreshold } from './zero-bucket.js';

/** See {@link FloatHistogram.detectReset}. */
export function detectReset(h: FloatHistogram, previous: FloatHistogram): boolean {
  if (h.counterResetHint === CounterResetHint.CounterReset) return true;
  if (h.counterResetHint === CounterResetHint.NotCounterReset) return false;
  // Unknown and Gauge hints are checked the hard way (a gauge treated as a counter is the caller's warning to give).
  if (h.count < previous.count) return true;
  if (h.usesCustomBuckets()) {
    if (!previous.usesCustomBuckets()) return true;
    if (!customBoundsMatch(h.customValues, previous.customValues)) return resetWithMismatchedBounds(h, previous);
  }
  if (h.schema > previous.schema) return true;
  if (h.zeroThreshold < previous.zeroThreshold) return true;
  const [previousZeroCount, threshold] = zeroCountForLargerThreshold(previous, h.zeroThreshold);
  if (threshold !== h.zeroThreshold) return true; // the new threshold cuts through a populated bucket
  if (h.zeroCount < previousZeroCount) return true;
  return (
    sideReset(h.positiveSpans, h.positiveBuckets, previous.positiveSpans, previous.positiveBuckets, previous.schema, h) ||
    sideReset(h.negativeSpans, h.negativeBuckets, previous.negativeSpans, previous.negativeBuckets, previous.schema, h)
  );
}

/** Buckets of one side in `h`'s schema above its zero threshold, as index → count pairs in order. */
function bucketsAbove(spans: readonly Span[], counts: readonly number[], schema: number, h: FloatHistogram): { index: number[]; count: number[] } {
  const layout = schema === h.schema ? { spans, buckets: counts } : reduceLayout(spans, counts, schema, h.schema);
  const index: number[] = [];
  const count: number[] = [];
  const skipLow = isExponentialSchema(h.schema);
  forEachBucket(layout.spans, layout.buckets, (i, c) => {
    if (skipLow && index.length === 0 && exponentialBound(i, h.schema) <= h.zeroThreshold) return;
    index.push(i);
    count.push(c);
  });
  return { index, count };
}

/** Whether a populated bucket of the previous histogram is missing now or has a smaller count. */
function sideReset(spans: readonly Span[], counts: readonly number[], prevSpans: readonly Span[], prevCounts: readonly number[], prevSchema: number, h: FloatHistogram): boolean {
  const curr = bucketsAbove(spans, counts, h.schema, h);
  const prev = bucketsAbove(prevSpans, prevCounts, prevSchema, h);
  let c = 0;
  for (let p = 0; p < prev.index.length; p++) {
    const pi = prev.index[p]!;
    while (c < curr.index.length && curr.index[c]! < pi) c++;
    if (c < curr.index.length && curr.index[c] === pi) {
      if (curr.count[c]! < prev.count[p]!) return true;
    } else if (prev.count[p] !== 0) return true;
  }
  return false;
}
