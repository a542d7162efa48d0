import type { Labels } from '@pyrometer/model';

// The running FNV-1a 64 hash as two 32-bit halves (module state: hashing is synchronous).
let hi = 0;
let lo = 0;

function mix(byte: number): void {
  lo = (lo ^ byte) >>> 0;
  // h * 0x100000001b3 mod 2^64, on two 32-bit halves: h*0x1b3 + (h << 40).
  const low = lo * 0x1b3;
  hi = (Math.imul(hi, 0x1b3) + ((low / 4294967296) | 0) + ((lo & 0xffffff) << 8)) >>> 0;
  lo = low >>> 0;
}

/** Mixes the UTF-8 bytes of `s` (lone surrogates as U+FFFD, as TextEncoder writes them). */
function mixUtf8(s: string): void {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      mix(c);
      continue;
    }
    if (c < 0x800) {
      mix(0xc0 | (c >> 6));
      mix(0x80 | (c & 0x3f));
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        mix(0xf0 | (c >> 18));
        mix(0x80 | ((c >> 12) & 0x3f));
        mix(0x80 | ((c >> 6) & 0x3f));
        mix(0x80 | (c & 0x3f));
        continue;
      }
      c = 0xfffd;
    }
    mix(0xe0 | (c >> 12));
    mix(0x80 | ((c >> 6) & 0x3f));
    mix(0x80 | (c & 0x3f));
  }
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/**
 * prometheus/common's `LabelSet.Fingerprint`: FNV-1a 64 over the UTF-8 bytes of each name and
 * value in name order, each followed by the byte 0xff, as 16 lower-case hex digits. It is the
 * alert identity everywhere in the API (`fingerprint`, `inhibitedBy`) and in webhook payloads.
 */
export function fingerprint(labels: Labels): string {
  hi = 0xcbf29ce4;
  lo = 0x84222325;
  for (let i = 0; i < labels.size; i++) {
    mixUtf8(labels.nameAt(i));
    mix(0xff);
    mixUtf8(labels.valueAt(i));
    mix(0xff);
  }
  return hex8(hi) + hex8(lo);
}
