import { ModelError } from '../errors.js';
import { CUSTOM_BUCKETS_SCHEMA, EXPONENTIAL_SCHEMA_MAX, EXPONENTIAL_SCHEMA_MIN, isCustomBucketsSchema, isExponentialSchema } from './bounds.js';
import type { Span } from './spans.js';

/**
 * Thrown (pre-allocated) when histograms of which one uses custom buckets and the other
 * exponential ones are added, subtracted or compared for resets.
 */
export const ErrHistogramsIncompatibleSchema = new ModelError(
  'incompatible_histograms',
  'cannot apply this operation on histograms with a mix of exponential and custom bucket schemas',
);

/** The fields validation reads; counts are absolute (`deltas` false) or Prometheus's deltas. */
export interface HistogramShape {
  readonly schema: number;
  readonly zeroThreshold: number;
  readonly zeroCount: number;
  readonly count: number;
  readonly sum: number;
  readonly positiveSpans: readonly Span[];
  readonly negativeSpans: readonly Span[];
  readonly positiveBuckets: readonly number[];
  readonly negativeBuckets: readonly number[];
  readonly customValues: readonly number[] | undefined;
}

function invalid(message: string): never {
  throw new ModelError('invalid_histogram', message);
}

const NEGATIVE_BUCKET = 'histogram has a bucket whose observation count is negative';
const MISMATCH = 'histogram spans specify different number of buckets than provided';
const NEGATIVE_OFFSET = 'histogram has a span whose offset is negative';

function checkSpans(side: string, spans: readonly Span[], buckets: number): void {
  let need = 0;
  spans.forEach((s, n) => {
    if (n > 0 && s.offset < 0) invalid(`${side}: span number ${n + 1} with offset ${s.offset}: ${NEGATIVE_OFFSET}`);
    need += s.length;
  });
  if (need !== buckets) invalid(`${side}: spans need ${need} buckets, have ${buckets} buckets: ${MISMATCH}`);
}

/** Sum of the absolute bucket counts; throws on a negative one. */
function checkBuckets(side: string, buckets: readonly number[], deltas: boolean): number {
  let last = 0;
  let total = 0;
  buckets.forEach((b, i) => {
    const c = deltas ? last + b : b;
    if (c < 0) invalid(`${side}: bucket number ${i + 1} has observation count of ${c}: ${NEGATIVE_BUCKET}`);
    last = c;
    total += c;
  });
  return total;
}

function checkCustomBounds(h: HistogramShape): void {
  const bounds = h.customValues ?? [];
  let prev = -Infinity;
  bounds.forEach((b, i) => {
    if (Number.isNaN(b)) invalid('custom buckets: histogram custom bounds must not be NaN');
    if (i > 0 && b <= prev) invalid(`custom buckets: previous bound is ${prev} and current is ${b}: histogram custom bounds must be in strictly increasing order`);
    prev = b;
  });
  if (prev === Infinity) invalid('custom buckets: last +Inf bound must not be explicitly defined: histogram custom bounds must be finite');
  let need = 0;
  let covered = 0;
  h.positiveSpans.forEach((s, n) => {
    if (s.offset < 0) invalid(`custom buckets: span number ${n + 1} with offset ${s.offset}: ${NEGATIVE_OFFSET}`);
    need += s.length;
    covered += s.length + s.offset;
  });
  if (need !== h.positiveBuckets.length) invalid(`custom buckets: spans need ${need} buckets, have ${h.positiveBuckets.length} buckets: ${MISMATCH}`);
  if (bounds.length + 1 < covered) {
    invalid(`custom buckets: only ${bounds.length} custom bounds defined which is insufficient to cover total span length of ${covered}: histogram custom bounds are too few`);
  }
}

/** The schema-dependent checks both histogram kinds share; returns the sum of the bucket counts. */
function checkLayout(h: HistogramShape, deltas: boolean): number {
  let negative = 0;
  if (isCustomBucketsSchema(h.schema)) {
    checkCustomBounds(h);
    if (h.zeroCount !== 0) invalid('custom buckets: must have zero count of 0');
    if (h.zeroThreshold !== 0) invalid('custom buckets: must have zero threshold of 0');
    if (h.negativeSpans.length > 0) invalid('custom buckets: must not have negative spans');
    if (h.negativeBuckets.length > 0) invalid('custom buckets: must not have negative buckets');
  } else if (isExponentialSchema(h.schema)) {
    checkSpans('positive side', h.positiveSpans, h.positiveBuckets.length);
    checkSpans('negative side', h.negativeSpans, h.negativeBuckets.length);
    negative = checkBuckets('negative side', h.negativeBuckets, deltas);
    if (!deltas && h.zeroCount < 0) invalid(`zero bucket has observation count of ${h.zeroCount}: ${NEGATIVE_BUCKET}`);
    if (h.customValues !== undefined && h.customValues.length > 0) invalid('histogram with exponential schema must not have custom bounds');
  } else {
    invalid(
      `histogram has an invalid schema, which must be between ${EXPONENTIAL_SCHEMA_MIN} and ${EXPONENTIAL_SCHEMA_MAX} for exponential buckets, or ${CUSTOM_BUCKETS_SCHEMA} for custom buckets, got schema ${h.schema}`,
    );
  }
  return negative;
}

/** Prometheus's FloatHistogram.Validate (counts are not checked against the buckets: float error). */
export function validateFloatHistogram(h: HistogramShape): void {
  checkLayout(h, false);
  if (h.count < 0) invalid(`observation count is  ${h.count}: histogram's observation count is negative`);
  checkBuckets('positive side', h.positiveBuckets, false);
}

/**
 * Prometheus's Histogram.Validate for integer histograms (delta-encoded buckets): the count must
 * equal the sum of the buckets, or be at least that when the sum is NaN (NaN observations).
 */
export function validateIntegerHistogram(h: HistogramShape): void {
  const negative = checkLayout(h, true);
  const positive = checkBuckets('positive side', h.positiveBuckets, true);
  const inBuckets = negative + positive + h.zeroCount;
  if (Number.isNaN(h.sum)) {
    if (inBuckets > h.count) invalid(`${inBuckets} observations found in buckets, but the Count field is ${h.count}: histogram's observation count should be at least the number of observations found in the buckets`);
  } else if (inBuckets !== h.count) {
    invalid(`${inBuckets} observations found in buckets, but the Count field is ${h.count}: histogram's observation count should equal the number of observations found in the buckets (in absence of NaN)`);
  }
}
