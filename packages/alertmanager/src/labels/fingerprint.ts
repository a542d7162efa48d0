import type { Labels } from '@pyrometer/model';

const utf8 = new TextEncoder();
const TWO_32 = 4294967296;

/**
 * prometheus/common's `LabelSet.Fingerprint`: FNV-1a 64 over the UTF-8 bytes of each name and
 * value in name order, each followed by the byte 0xff, as 16 lower-case hex digits. It is the
 * alert identity everywhere in the API (`fingerprint`, `inhibitedBy`) and in webhook payloads.
 */
export function fingerprint(labels: Labels): string {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  const add = (byte: number): void => {
    lo = (lo ^ byte) >>> 0;
    // h * 0x100000001b3 mod 2^64, on two 32-bit halves: h*0x1b3 + (h << 40).
    const low = lo * 0x1b3;
    const carry = Math.floor(low / TWO_32);
    hi = (hi * 0x1b3 + carry + (lo & 0xffffff) * 256) % TWO_32;
    lo = low % TWO_32;
  };
  labels.forEach((name, value) => {
    for (const b of utf8.encode(name)) add(b);
    add(0xff);
    for (const b of utf8.encode(value)) add(b);
    add(0xff);
  });
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
