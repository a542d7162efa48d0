import type { Labels } from '@pyrometer/model';
import xxhash from 'xxhash-wasm';

// The WebAssembly hasher is a pure function, compiled once when this module loads.
const { h64Raw } = await xxhash();

/** XXH64 with seed 0 (cespare/xxhash, which upstream's notification log uses). */
export function xxhash64(b: Uint8Array): bigint {
  return h64Raw(b);
}

const utf8 = new TextEncoder();
let scratch = new Uint8Array(1024);

/**
 * The hash the notification log records an alert by (upstream's `hashAlert`): XXH64 over each
 * label name and value in name order, each followed by the byte 0xff. Matching upstream lets us
 * read a notification log Alertmanager wrote and keep its deduplication.
 */
export function alertHash(labels: Labels): bigint {
  let at = 0;
  for (let i = 0; i < labels.size; i++) {
    for (const s of [labels.nameAt(i), labels.valueAt(i)]) {
      if (scratch.length < at + 3 * s.length + 1) {
        const bigger = new Uint8Array(2 * (at + 3 * s.length + 1));
        bigger.set(scratch.subarray(0, at));
        scratch = bigger;
      }
      at += utf8.encodeInto(s, scratch.subarray(at)).written;
      scratch[at++] = 0xff;
    }
  }
  return h64Raw(scratch.subarray(0, at));
}
