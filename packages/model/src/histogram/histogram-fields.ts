import { isCustomBucketsSchema } from './bounds.js';
import { CounterResetHint } from './counter-reset-hint.js';
import { copySpans, type Span } from './spans.js';

/** The fields of a native histogram, all optional (zero / empty / unknown hint by default). */
export interface HistogramFieldsInit {
  counterResetHint?: CounterResetHint;
  schema?: number;
  zeroThreshold?: number;
  zeroCount?: number;
  count?: number;
  sum?: number;
  positiveSpans?: Span[];
  negativeSpans?: Span[];
  positiveBuckets?: number[];
  negativeBuckets?: number[];
  customValues?: readonly number[] | undefined;
}

/**
 * The data both histogram kinds hold ({@link Histogram}: delta-encoded integer counts,
 * {@link FloatHistogram}: absolute float counts); the subclasses give the buckets their meaning.
 * `customValues` (the bounds of a custom-bucket histogram, schema -53) is shared between copies and
 * never mutated.
 */
export abstract class HistogramFields {
  counterResetHint: CounterResetHint;
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  count: number;
  sum: number;
  positiveSpans: Span[];
  negativeSpans: Span[];
  positiveBuckets: number[];
  negativeBuckets: number[];
  customValues: readonly number[] | undefined;

  constructor(init: HistogramFieldsInit = {}) {
    this.counterResetHint = init.counterResetHint ?? CounterResetHint.Unknown;
    this.schema = init.schema ?? 0;
    this.zeroThreshold = init.zeroThreshold ?? 0;
    this.zeroCount = init.zeroCount ?? 0;
    this.count = init.count ?? 0;
    this.sum = init.sum ?? 0;
    this.positiveSpans = init.positiveSpans ?? [];
    this.negativeSpans = init.negativeSpans ?? [];
    this.positiveBuckets = init.positiveBuckets ?? [];
    this.negativeBuckets = init.negativeBuckets ?? [];
    this.customValues = init.customValues;
  }

  usesCustomBuckets(): boolean {
    return isCustomBucketsSchema(this.schema);
  }

  /**
   * A deep copy of the fields as an init, each bucket array passed through `copyBuckets` (which
   * must return a new array); the fields the schema does not use are left empty (a custom-bucket
   * histogram has no zero bucket and no negative side, an exponential one no custom bounds).
   */
  protected copyFields(copyBuckets: (buckets: number[]) => number[]): HistogramFieldsInit {
    const custom = this.usesCustomBuckets();
    return {
      counterResetHint: this.counterResetHint,
      schema: this.schema,
      zeroThreshold: custom ? 0 : this.zeroThreshold,
      zeroCount: custom ? 0 : this.zeroCount,
      count: this.count,
      sum: this.sum,
      positiveSpans: copySpans(this.positiveSpans),
      negativeSpans: custom ? [] : copySpans(this.negativeSpans),
      positiveBuckets: copyBuckets(this.positiveBuckets),
      negativeBuckets: custom ? [] : copyBuckets(this.negativeBuckets),
      customValues: custom ? this.customValues : undefined,
    };
  }
}
