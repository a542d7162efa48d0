import { isCustomBucketsSchema } from './bounds.js';
import { customBoundsMatch } from './custom-buckets.js';
import { HistogramFields, type HistogramFieldsInit } from './histogram-fields.js';
import { sameBits } from './float-bits.js';
import { FloatHistogram } from './float-histogram.js';
import { absoluteToDeltas, compactLayout, copySpans, deltasToAbsolute, reduceLayout, spansMatch } from './spans.js';
import { validateIntegerHistogram } from './validate.js';

/** The fields of an integer histogram, all optional (zero / empty / unknown hint by default). */
export type HistogramInit = HistogramFieldsInit;

/**
 * A native histogram with integer counts, as instrumented code observes it and the TSDB stores it
 * (Prometheus's Histogram). Bucket counts are delta-encoded: the first is absolute, each next one
 * the difference to the previous. Counts are JavaScript numbers, exact up to 2^53. A mutable value
 * object; `customValues` is shared between copies and never mutated.
 */
export class Histogram extends HistogramFields {
  /** A deep copy. */
  copy(): Histogram {
    return new Histogram({
      counterResetHint: this.counterResetHint,
      schema: this.schema,
      zeroThreshold: this.zeroThreshold,
      zeroCount: this.zeroCount,
      count: this.count,
      sum: this.sum,
      positiveSpans: copySpans(this.positiveSpans),
      negativeSpans: copySpans(this.negativeSpans),
      positiveBuckets: this.positiveBuckets.slice(),
      negativeBuckets: this.negativeBuckets.slice(),
      customValues: this.customValues,
    });
  }

  /** The float histogram with the same data (absolute bucket counts); a new object the caller owns. */
  toFloat(): FloatHistogram {
    return new FloatHistogram(this.copyFields(deltasToAbsolute));
  }

  /** See {@link FloatHistogram.compact}; in place. */
  compact(maxEmptyBuckets = 0): this {
    const pos = compactLayout(this.positiveSpans, deltasToAbsolute(this.positiveBuckets), maxEmptyBuckets);
    const neg = compactLayout(this.negativeSpans, deltasToAbsolute(this.negativeBuckets), maxEmptyBuckets);
    this.positiveSpans = pos.spans;
    this.positiveBuckets = absoluteToDeltas(pos.buckets);
    this.negativeSpans = neg.spans;
    this.negativeBuckets = absoluteToDeltas(neg.buckets);
    return this;
  }

  /** Merges buckets into the coarser exponential `targetSchema` (< this schema), in place. */
  reduceResolution(targetSchema: number): this {
    if (this.usesCustomBuckets() || isCustomBucketsSchema(targetSchema) || targetSchema >= this.schema) {
      throw new RangeError(`cannot reduce resolution from schema ${this.schema} to ${targetSchema}`);
    }
    const pos = reduceLayout(this.positiveSpans, deltasToAbsolute(this.positiveBuckets), this.schema, targetSchema);
    const neg = reduceLayout(this.negativeSpans, deltasToAbsolute(this.negativeBuckets), this.schema, targetSchema);
    this.positiveSpans = pos.spans;
    this.positiveBuckets = absoluteToDeltas(pos.buckets);
    this.negativeSpans = neg.spans;
    this.negativeBuckets = absoluteToDeltas(neg.buckets);
    this.schema = targetSchema;
    return this;
  }

  /** Exact data equality (the sum compared by bits; the counter reset hint is not compared). */
  equals(other: Histogram | undefined): boolean {
    if (other === undefined) return false;
    if (this.schema !== other.schema || this.count !== other.count || !sameBits(this.sum, other.sum)) return false;
    if (this.usesCustomBuckets() && !customBoundsMatch(this.customValues, other.customValues)) return false;
    if (this.zeroThreshold !== other.zeroThreshold || this.zeroCount !== other.zeroCount) return false;
    return (
      spansMatch(this.negativeSpans, other.negativeSpans) &&
      sameNumbers(this.negativeBuckets, other.negativeBuckets) &&
      spansMatch(this.positiveSpans, other.positiveSpans) &&
      sameNumbers(this.positiveBuckets, other.positiveBuckets)
    );
  }

  /**
   * Rejects inconsistent layouts, negative bucket counts, bad custom bounds, invalid schemas and a
   * count that does not match the buckets (ModelError `invalid_histogram`).
   */
  validate(): void {
    validateIntegerHistogram(this);
  }
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
