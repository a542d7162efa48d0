import type { Labels } from '@pyrometer/model';
import { labelBytes } from './label-bytes.js';

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/**
 * prometheus/common's `LabelSet.Fingerprint`: FNV-1a 64 over the UTF-8 bytes of each name and
 * value in name order, each followed by 0xff, as 16 lowercase hex digits. This is upstream's
 * alert identity everywhere in the API (`fingerprint`, `inhibitedBy`) and in webhook payloads.
 */
export function fingerprint(labels: Labels): string {
  const bytes = labelBytes(labels);
  // The 64-bit hash as four 16-bit limbs, h3 the highest, so every step stays in small integers.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (let i = 0; i < bytes.length; i++) {
    h0 ^= bytes[i]!;
    // h * 0x100000001b3 mod 2^64 = h*0x1b3 + (h << 40), limb by limb with carries.
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + (h0 << 8) + (t1 >>> 16);
    h3 = (h3 * 0x1b3 + (h1 << 8) + (t2 >>> 16)) & 0xffff;
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
  }
  return hex8(h3 * 0x10000 + h2) + hex8(h1 * 0x10000 + h0);
}
