import { isCustomBucketsSchema } from './bounds.js';
import { CounterResetHint } from './counter-reset-hint.js';
import { sideBuckets, type Bucket } from './bucket.js';
import { addWithMismatchedBounds, customBoundsMatch } from './custom-buckets.js';
import { HistogramFields, type HistogramFieldsInit } from './histogram-fields.js';
import { sameBits } from './float-bits.js';
import { histogramString, histogramTestExpression } from './format.js';
import { detectReset } from './reset-detection.js';
import { addLayouts, compactLayout, reduceLayout, spansMatch } from './spans.js';
import { ErrHistogramsIncompatibleSchema, validateFloatHistogram } from './validate.js';
import { reconcileZeroBuckets } from './zero-bucket.js';

/** The fields of a float histogram, all optional (zero / empty / unknown hint by default). */
export type FloatHistogramInit = HistogramFieldsInit;

/** How an addition or subtraction went; the histograms were compatible (else it throws). */
export interface CombineResult {
  /** One side said "counter reset", the other "no counter reset"; the hint became Unknown. */
  readonly counterResetCollision: boolean;
  /** Custom-bucket histograms with different bounds were combined on the bounds they share. */
  readonly nhcbBoundsReconciled: boolean;
}

/**
 * A native histogram with float counts (Prometheus's FloatHistogram), as PromQL computes with it:
 * counts may be fractional and bucket counts are absolute. A mutable value object: the arithmetic
 * methods change the receiver and return it; `copy()` before changing a histogram you do not own.
 * `customValues` (the bounds of a custom-bucket histogram, schema -53) is shared between copies
 * and never mutated.
 */
export class FloatHistogram extends HistogramFields {
  /** A deep copy (fields unused by the schema are left empty). */
  copy(): FloatHistogram {
    return new FloatHistogram(this.copyFields((buckets) => buckets.slice()));
  }

  /**
   * A copy in the coarser exponential schema `targetSchema` (≤ this schema). Like upstream, the
   * copy's counter reset hint is Unknown unless the schema is unchanged.
   */
  copyToSchema(targetSchema: number): FloatHistogram {
    if (targetSchema === this.schema) return this.copy();
    this.assertReducible(targetSchema);
    const pos = reduceLayout(this.positiveSpans, this.positiveBuckets, this.schema, targetSchema);
    const neg = reduceLayout(this.negativeSpans, this.negativeBuckets, this.schema, targetSchema);
    return new FloatHistogram({
      schema: targetSchema,
      zeroThreshold: this.zeroThreshold,
      zeroCount: this.zeroCount,
      count: this.count,
      sum: this.sum,
      positiveSpans: pos.spans,
      positiveBuckets: pos.buckets,
      negativeSpans: neg.spans,
      negativeBuckets: neg.buckets,
    });
  }

  /** Merges buckets into the coarser exponential `targetSchema` (< this schema), in place. */
  reduceResolution(targetSchema: number): this {
    this.assertReducible(targetSchema);
    if (targetSchema === this.schema) throw new RangeError(`cannot reduce resolution from schema ${this.schema} to ${targetSchema}`);
    const pos = reduceLayout(this.positiveSpans, this.positiveBuckets, this.schema, targetSchema);
    const neg = reduceLayout(this.negativeSpans, this.negativeBuckets, this.schema, targetSchema);
    this.positiveSpans = pos.spans;
    this.positiveBuckets = pos.buckets;
    this.negativeSpans = neg.spans;
    this.negativeBuckets = neg.buckets;
    this.schema = targetSchema;
    return this;
  }

  private assertReducible(targetSchema: number): void {
    if (this.usesCustomBuckets()) throw new RangeError(`cannot reduce resolution to ${targetSchema} when there are custom buckets`);
    if (isCustomBucketsSchema(targetSchema)) throw new RangeError('cannot reduce resolution to custom buckets schema');
    if (targetSchema > this.schema) throw new RangeError(`cannot copy from schema ${this.schema} to ${targetSchema}`);
  }

  /** Scales every count and the sum by `factor`, in place; a negative factor makes it a gauge. */
  mul(factor: number): this {
    this.zeroCount *= factor;
    this.count *= factor;
    this.sum *= factor;
    for (let i = 0; i < this.positiveBuckets.length; i++) this.positiveBuckets[i]! *= factor;
    for (let i = 0; i < this.negativeBuckets.length; i++) this.negativeBuckets[i]! *= factor;
    if (factor < 0) this.counterResetHint = CounterResetHint.Gauge;
    return this;
  }

  /** Divides every count and the sum by `divisor`, in place; dividing by zero removes all buckets. */
  div(divisor: number): this {
    this.zeroCount /= divisor;
    this.count /= divisor;
    this.sum /= divisor;
    if (divisor === 0) {
      this.positiveSpans = [];
      this.negativeSpans = [];
      this.positiveBuckets = [];
      this.negativeBuckets = [];
      return this;
    }
    for (let i = 0; i < this.positiveBuckets.length; i++) this.positiveBuckets[i]! /= divisor;
    for (let i = 0; i < this.negativeBuckets.length; i++) this.negativeBuckets[i]! /= divisor;
    if (divisor < 0) this.counterResetHint = CounterResetHint.Gauge;
    return this;
  }

  /**
   * Adds `other` to this histogram in place: zero buckets are reconciled to the wider threshold,
   * the finer schema is reduced to the coarser one, missing buckets are inserted (call `compact`
   * to normalise). Throws {@link ErrHistogramsIncompatibleSchema} when one uses custom buckets
   * and the other does not. `other` is never modified.
   */
  add(other: FloatHistogram): CombineResult {
    return this.combine(other, false);
  }

  /** Like {@link add}, subtracting. The hint is reconciled as for `add`; PromQL's `-` sets Gauge after. */
  sub(other: FloatHistogram): CombineResult {
    return this.combine(other, true);
  }

  private combine(other: FloatHistogram, subtract: boolean): CombineResult {
    if (this.usesCustomBuckets() !== other.usesCustomBuckets()) throw ErrHistogramsIncompatibleSchema;
    const counterResetCollision = this.adjustCounterReset(other);
    if (!this.usesCustomBuckets()) {
      const otherZeroCount = reconcileZeroBuckets(this, other);
      if (subtract) this.zeroCount -= otherZeroCount;
      else this.zeroCount += otherZeroCount;
    }
    if (subtract) {
      this.count -= other.count;
      this.sum -= other.sum;
    } else {
      this.count += other.count;
      this.sum += other.sum;
    }
    if (this.usesCustomBuckets()) {
      if (customBoundsMatch(this.customValues, other.customValues)) {
        const pos = addLayouts(this.schema, 0, subtract, this.positiveSpans, this.positiveBuckets, other.positiveSpans, other.positiveBuckets);
        this.positiveSpans = pos.spans;
        this.positiveBuckets = pos.buckets;
        return { counterResetCollision, nhcbBoundsReconciled: false };
      }
      addWithMismatchedBounds(this, other, subtract);
      return { counterResetCollision, nhcbBoundsReconciled: true };
    }
    let otherPos = { spans: other.positiveSpans, buckets: other.positiveBuckets };
    let otherNeg = { spans: other.negativeSpans, buckets: other.negativeBuckets };
    if (other.schema < this.schema) this.reduceResolution(other.schema);
    else if (other.schema > this.schema) {
      otherPos = reduceLayout(other.positiveSpans, other.positiveBuckets, other.schema, this.schema);
      otherNeg = reduceLayout(other.negativeSpans, other.negativeBuckets, other.schema, this.schema);
    }
    const pos = addLayouts(this.schema, this.zeroThreshold, subtract, this.positiveSpans, this.positiveBuckets, otherPos.spans, otherPos.buckets);
    const neg = addLayouts(this.schema, this.zeroThreshold, subtract, this.negativeSpans, this.negativeBuckets, otherNeg.spans, otherNeg.buckets);
    this.positiveSpans = pos.spans;
    this.positiveBuckets = pos.buckets;
    this.negativeSpans = neg.spans;
    this.negativeBuckets = neg.buckets;
    return { counterResetCollision, nhcbBoundsReconciled: false };
  }

  /** The hint of a sum or difference; true when CounterReset met NotCounterReset. */
  private adjustCounterReset(other: FloatHistogram): boolean {
    const a = this.counterResetHint;
    const b = other.counterResetHint;
    if (a === b || a === CounterResetHint.Gauge) return false;
    if (b === CounterResetHint.Gauge) {
      this.counterResetHint = CounterResetHint.Gauge;
      return false;
    }
    this.counterResetHint = CounterResetHint.Unknown;
    return a !== CounterResetHint.Unknown && b !== CounterResetHint.Unknown;
  }

  /** Drops empty buckets at span edges and joins spans at most `maxEmptyBuckets` apart, in place. */
  compact(maxEmptyBuckets = 0): this {
    const pos = compactLayout(this.positiveSpans, this.positiveBuckets, maxEmptyBuckets);
    const neg = compactLayout(this.negativeSpans, this.negativeBuckets, maxEmptyBuckets);
    this.positiveSpans = pos.spans;
    this.positiveBuckets = pos.buckets;
    this.negativeSpans = neg.spans;
    this.negativeBuckets = neg.buckets;
    return this;
  }

  /**
   * Exact data equality: same schema, bounds, zero bucket, layout (empty spans aside) and bits of
   * every count and of the sum. The counter reset hint is not compared.
   */
  equals(other: FloatHistogram | undefined): boolean {
    if (other === undefined) return false;
    if (this.schema !== other.schema || !sameBits(this.count, other.count) || !sameBits(this.sum, other.sum)) return false;
    if (this.usesCustomBuckets() && !customBoundsMatch(this.customValues, other.customValues)) return false;
    if (this.zeroThreshold !== other.zeroThreshold || !sameBits(this.zeroCount, other.zeroCount)) return false;
    return (
      spansMatch(this.negativeSpans, other.negativeSpans) &&
      bucketsMatch(this.negativeBuckets, other.negativeBuckets) &&
      spansMatch(this.positiveSpans, other.positiveSpans) &&
      bucketsMatch(this.positiveBuckets, other.positiveBuckets)
    );
  }

  /**
   * Whether this histogram, following `previous`, shows a counter reset: by its hint when it says
   * so, else by any count (total, zero bucket, any bucket) going down, a finer schema or a
   * narrower zero bucket.
   */
  detectReset(previous: FloatHistogram): boolean {
    return detectReset(this, previous);
  }

  /** The zero bucket, [-zeroThreshold, zeroThreshold]. */
  zeroBucket(): Bucket {
    return { lower: -this.zeroThreshold, upper: this.zeroThreshold, lowerInclusive: true, upperInclusive: true, count: this.zeroCount, index: 0 };
  }

  /** Positive buckets, ascending. */
  positiveBucketList(): Bucket[] {
    return sideBuckets(this.positiveSpans, this.positiveBuckets, this.schema, true, this.customValues);
  }

  /** Negative buckets from the zero bucket downwards (ascending index, descending values). */
  negativeBucketList(): Bucket[] {
    return sideBuckets(this.negativeSpans, this.negativeBuckets, this.schema, false, undefined);
  }

  /**
   * Every bucket in ascending order of value: negative, zero (when populated), positive. A bucket
   * overlapping the zero bucket has its bound moved to the zero threshold.
   */
  allBuckets(): Bucket[] {
    const zt = this.zeroThreshold;
    const clamp = (b: Bucket): Bucket => {
      if (b.upper < 0 && b.upper > -zt) return { ...b, upper: -zt };
      if (b.lower > 0 && b.lower < zt) return { ...b, lower: zt };
      return b;
    };
    const out = this.negativeBucketList().reverse().map(clamp);
    if (this.zeroCount > 0) out.push(this.zeroBucket());
    for (const b of this.positiveBucketList()) out.push(clamp(b));
    return out;
  }

  /** Rejects inconsistent layouts, negative counts, bad custom bounds and invalid schemas (ModelError `invalid_histogram`). */
  validate(): void {
    validateFloatHistogram(this);
  }

  /** Go's `String()`: `{count:2, sum:3, [-1,-0.5):1, …}` (count_values uses it as a label value). */
  override toString(): string {
    return histogramString(this);
  }

  /** The `{{…}}` notation of test scripts (see {@link histogramTestExpression}). */
  testExpression(): string {
    return histogramTestExpression(this);
  }

  /** Bytes a Go FloatHistogram takes (the engine counts histogram samples by it). */
  size(): number {
    const n = this.positiveSpans.length + this.negativeSpans.length + this.positiveBuckets.length + this.negativeBuckets.length + (this.customValues?.length ?? 0);
    return 168 + 8 * n;
  }
}

function bucketsMatch(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameBits(a[i]!, b[i]!)) return false;
  return true;
}
