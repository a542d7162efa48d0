export {
  bucketBound,
  CUSTOM_BUCKETS_SCHEMA,
  EXPONENTIAL_SCHEMA_MAX,
  EXPONENTIAL_SCHEMA_MAX_RESERVED,
  EXPONENTIAL_SCHEMA_MIN,
  EXPONENTIAL_SCHEMA_MIN_RESERVED,
  exponentialBound,
  isCustomBucketsSchema,
  isExponentialSchema,
  isKnownSchema,
  isValidSchema,
} from './bounds.js';
export type { Bucket } from './bucket.js';
export { CounterResetHint } from './counter-reset-hint.js';
export { customBoundsMatch } from './custom-buckets.js';
export { FloatHistogram, type CombineResult, type FloatHistogramInit } from './float-histogram.js';
export { Histogram, type HistogramInit } from './histogram.js';
export { absoluteToDeltas, deltasToAbsolute, forEachBucket, spansMatch, type Span } from './spans.js';
export { ErrHistogramsIncompatibleSchema } from './validate.js';
