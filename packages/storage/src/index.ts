export type { Appendable, Appender, SeriesRef } from './appender.js';
export { ArraySampleIterator } from './array-iterator.js';
export { ErrDuplicateSampleForTimestamp, ErrOutOfBounds, ErrOutOfOrderSample, ErrTooOldSample, StorageError, type StorageErrorCode } from './errors.js';
export { sameFloatBits } from './float-bits.js';
export { EMPTY_ITERATOR, ValueType, type SampleIterator } from './iterator.js';
export { defaultMemoryStorageOptions, MemoryStorage, type MemoryStorageOptions } from './memory/memory-storage.js';
export { MergeSampleIterator } from './merge-iterator.js';
export { mergeQueriers, mergeQueryables } from './merge-querier.js';
export { labelNamesOf, labelResult, labelValuesOf, type LabelResult, type Querier, type Queryable, type SelectHints, type Series, type SeriesSet } from './querier.js';
