import type { Labels } from '@pyrometer/model';
import xxhash from 'xxhash-wasm';
import { labelBytes } from './label-bytes.js';

// The WebAssembly hasher is a pure function, compiled once when this module loads.
const { h64Raw } = await xxhash();

/** XXH64 with seed 0 (cespare/xxhash, which upstream's notification log uses). */
export function xxhash64(b: Uint8Array): bigint {
  return h64Raw(b);
}

/**
 * The hash the notification log records an alert by (upstream's `hashAlert`): XXH64 over each
 * label's name and value in name order, each followed by 0xff. Matching it byte for byte lets us
 * read a notification log Alertmanager wrote and keep its deduplication.
 */
export function alertHash(labels: Labels): bigint {
  return h64Raw(labelBytes(labels));
}
