import { StorageError } from '@pyrometer/storage';

/**
 * Builds the error every format reader throws for bytes that cannot be what the writer wrote:
 * the storage seam's one error class with code `corruption`, and a message naming the file (or
 * structure) and the byte offset where decoding failed. Nothing is changed on disk by a reader.
 */
export function corruptionError(what: string, offset: number, detail: string, cause?: unknown): StorageError {
  const message = `corrupt ${what} at offset ${offset}: ${detail}`;
  return cause === undefined ? new StorageError('corruption', message) : new StorageError('corruption', message, { cause });
}

/** Builds the error for a caller that broke a format function's contract (bad arguments). */
export function misuseError(detail: string): StorageError {
  return new StorageError('internal', detail);
}
