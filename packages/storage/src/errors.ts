/** Every condition a storage implementation reports, as a closed union of stable codes. */
export type StorageErrorCode =
  | 'out_of_order_sample'
  | 'out_of_bounds'
  | 'too_old_sample'
  | 'duplicate_sample_for_timestamp'
  | 'invalid_sample'
  | 'not_found'
  | 'closed'
  | 'locked'
  | 'corruption'
  | 'internal';

/** The one error class of the storage seam; `code` says which condition, `cause` keeps the origin. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(readonly code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

// Per-sample rejections happen often (one per rejected sample), so they are allocated once and
// thrown as is; callers count them by code, as Prometheus counts ErrOutOfOrderSample.
/** A sample older than the newest sample of its series (outside any out-of-order window). */
export const ErrOutOfOrderSample = new StorageError('out_of_order_sample', 'out of order sample');
/** A sample outside the range the storage accepts (too far in the past for the head, or too far in the future). */
export const ErrOutOfBounds = new StorageError('out_of_bounds', 'out of bounds');
/** A sample older than the out-of-order window allows. */
export const ErrTooOldSample = new StorageError('too_old_sample', 'too old sample');
/** A second sample with the same timestamp but a different value for a series. */
export const ErrDuplicateSampleForTimestamp = new StorageError('duplicate_sample_for_timestamp', 'duplicate sample for timestamp');
