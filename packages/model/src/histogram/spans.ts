import { exponentialBound, isExponentialSchema, targetIndex } from './bounds.js';

/**
 * A run of consecutive buckets. `offset` is, for the first span, the index of its first bucket
 * (may be negative) and, for every later span, the number of indices skipped since the previous
 * span ended (never negative in a valid layout); `length` buckets follow.
 */
export interface Span {
  offset: number;
  length: number;
}

/** Calls `fn` for every bucket described by `spans` with its index and its value, in order. */
export function forEachBucket(spans: readonly Span[], buckets: ArrayLike<number>, fn: (index: number, value: number) => void): void {
  let index = 0;
  let b = 0;
  for (let s = 0; s < spans.length; s++) {
    const span = spans[s]!;
    index += span.offset;
    for (let j = 0; j < span.length; j++, index++) {
      if (b >= buckets.length) return;
      fn(index, buckets[b++]!);
    }
  }
}

/**
 * Builds spans and buckets from (index, value) pairs given in ascending index order: adjacent
 * indices share a span, gaps start a new one, and a repeated index adds to the last bucket.
 */
export class LayoutBuilder {
  readonly spans: Span[] = [];
  readonly buckets: number[] = [];
  private last = 0;

  push(index: number, value: number): void {
    const n = this.spans.length;
    if (n === 0) this.spans.push({ offset: index, length: 1 });
    else if (index === this.last) {
      this.buckets[this.buckets.length - 1]! += value;
      return;
    } else if (index === this.last + 1) this.spans[n - 1]!.length++;
    else this.spans.push({ offset: index - this.last - 1, length: 1 });
    this.buckets.push(value);
    this.last = index;
  }
}

/** Copies of the spans (they are small objects, mutable by their owner). */
export function copySpans(spans: readonly Span[]): Span[] {
  return spans.map((s) => ({ offset: s.offset, length: s.length }));
}

/** The (index, value) pairs of a layout, in order. */
function pairs(spans: readonly Span[], buckets: ArrayLike<number>): { index: number[]; value: number[] } {
  const index: number[] = [];
  const value: number[] = [];
  forEachBucket(spans, buckets, (i, v) => {
    index.push(i);
    value.push(v);
  });
  return { index, value };
}

/**
 * Drops empty buckets (value 0) at the edges of every run and joins runs that at most
 * `maxEmptyBuckets` empty indices apart, filling those with zeros: the layout Prometheus's Compact
 * produces. Values are absolute counts. Returns a new layout.
 */
export function compactLayout(spans: readonly Span[], buckets: ArrayLike<number>, maxEmptyBuckets: number): { spans: Span[]; buckets: number[] } {
  const { index, value } = pairs(spans, buckets);
  const out = new LayoutBuilder();
  let lastKept: number | undefined;
  for (let i = 0; i < index.length; i++) {
    const v = value[i]!;
    if (v === 0) continue;
    const idx = index[i]!;
    if (lastKept !== undefined && idx > lastKept && idx - lastKept - 1 <= maxEmptyBuckets) {
      for (let gap = lastKept + 1; gap < idx; gap++) out.push(gap, 0);
    }
    if (lastKept !== undefined && idx <= lastKept) continue; // an invalid, overlapping layout: keep the first
    out.push(idx, v);
    lastKept = idx;
  }
  return { spans: out.spans, buckets: out.buckets };
}

/** Merges the buckets of `schema` into the coarser `targetSchema`, adding the absolute counts of merged buckets. */
export function reduceLayout(spans: readonly Span[], buckets: ArrayLike<number>, schema: number, targetSchema: number): { spans: Span[]; buckets: number[] } {
  const out = new LayoutBuilder();
  forEachBucket(spans, buckets, (i, v) => out.push(targetIndex(i, schema, targetSchema), v));
  return { spans: out.spans, buckets: out.buckets };
}

/**
 * `a + b` (or `a - b` with `subtract`) bucket by bucket over the union of both layouts, which
 * share one schema. Buckets of `b` whose absolute upper bound is ≤ `threshold` (exponential
 * schemas) are ignored: they lie in the zero bucket, which the caller reconciled.
 */
export function addLayouts(
  schema: number,
  threshold: number,
  subtract: boolean,
  aSpans: readonly Span[],
  aBuckets: ArrayLike<number>,
  bSpans: readonly Span[],
  bBuckets: ArrayLike<number>,
): { spans: Span[]; buckets: number[] } {
  const a = pairs(aSpans, aBuckets);
  const b = pairs(bSpans, bBuckets);
  let j = 0;
  if (isExponentialSchema(schema)) while (j < b.index.length && exponentialBound(b.index[j]!, schema) <= threshold) j++;
  const out = new LayoutBuilder();
  let i = 0;
  while (i < a.index.length || j < b.index.length) {
    const ai = i < a.index.length ? a.index[i]! : Infinity;
    const bi = j < b.index.length ? b.index[j]! : Infinity;
    if (ai < bi) out.push(ai, a.value[i++]!);
    else {
      const bv = subtract ? -b.value[j]! : b.value[j]!;
      if (ai === bi) out.push(ai, a.value[i++]! + bv);
      else out.push(bi, bv);
      j++;
    }
  }
  return { spans: out.spans, buckets: out.buckets };
}

/** Whether two layouts describe the same buckets (empty spans ignored). */
export function spansMatch(s1: readonly Span[], s2: readonly Span[]): boolean {
  const a = normalizedSpans(s1);
  const b = normalizedSpans(s2);
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.offset !== b[i]!.offset || a[i]!.length !== b[i]!.length) return false;
  return true;
}

/** Spans with zero-length spans folded into the next span's offset (a trailing empty span dropped). */
function normalizedSpans(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  let carry = 0;
  for (const s of spans) {
    if (s.length === 0) {
      carry += s.offset;
      continue;
    }
    out.push({ offset: s.offset + carry, length: s.length });
    carry = 0;
  }
  return out;
}

/** Absolute counts from Prometheus's delta encoding (first bucket absolute, then differences). */
export function deltasToAbsolute(deltas: ArrayLike<number>): number[] {
  const out = new Array<number>(deltas.length);
  let cur = 0;
  for (let i = 0; i < deltas.length; i++) out[i] = cur += deltas[i]!;
  return out;
}

/** The delta encoding of absolute counts. */
export function absoluteToDeltas(counts: ArrayLike<number>): number[] {
  const out = new Array<number>(counts.length);
  let prev = 0;
  for (let i = 0; i < counts.length; i++) {
    out[i] = counts[i]! - prev;
    prev = counts[i]!;
  }
  return out;
}
