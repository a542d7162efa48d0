import type { Labels } from '@pyrometer/model';

const utf8 = new TextEncoder();
let scratch = new Uint8Array(1024);

/**
 * The bytes both alert hashes read (prometheus/common's fingerprint and upstream's `hashAlert`):
 * each label's name and value in name order as UTF-8 (lone surrogates as U+FFFD), each followed
 * by 0xff. The answer is a view of one buffer shared by every call: it is valid until the next
 * call, so hash it at once.
 */
export function labelBytes(labels: Labels): Uint8Array {
  let at = 0;
  for (let i = 0; i < 2 * labels.size; i++) {
    const s = (i & 1) === 0 ? labels.nameAt(i >> 1) : labels.valueAt(i >> 1);
    // UTF-8 takes at most 3 bytes per UTF-16 unit; 1 more for the separator.
    if (scratch.length < at + 3 * s.length + 1) {
      const bigger = new Uint8Array(2 * (at + 3 * s.length + 1));
      bigger.set(scratch.subarray(0, at));
      scratch = bigger;
    }
    at += utf8.encodeInto(s, scratch.subarray(at)).written;
    scratch[at++] = 0xff;
  }
  return scratch.subarray(0, at);
}
