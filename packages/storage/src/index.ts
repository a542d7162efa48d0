export type { Appendable, Appender, SeriesRef } from './appender.js';
export { ErrDuplicateSampleForTimestamp, ErrOutOfBounds, ErrOutOfOrderSample, ErrTooOldSample, StorageError, type StorageErrorCode } from './errors.js';
export { EMPTY_ITERATOR, ValueType, type SampleIterator } from './iterator.js';
export type { LabelResult, Querier, Queryable, SelectHints, Series, SeriesSet } from './querier.js';
