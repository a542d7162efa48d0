// MD5 (RFC 1321) in plain JavaScript, for `hashmod` relabeling only: it must give the same
// bucket as Prometheus for the same input, and packages/model cannot use node:crypto (the UI
// bundles it). Not for security.

const S = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21];
const K = new Int32Array(64);
for (let i = 0; i < 64; i++) K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0;

// Scratch space reused by every call (JavaScript runs one call at a time): hashing a label value
// allocates nothing once the buffer has grown to the longest value seen.
const block = new Int32Array(16);
const words = new Int32Array(4);
let scratch = new Uint8Array(256);

/** The 16-byte MD5 digest of `input`. Pure and synchronous; `input` is not modified. */
export function md5(input: Uint8Array): Uint8Array {
  const buf = new Uint8Array(paddedLength(input.length));
  buf.set(input);
  digestInPlace(buf, input.length, words);
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = (words[i >> 2]! >>> ((i & 3) * 8)) & 0xff;
  return out;
}

/**
 * Bytes 8–15 of MD5(UTF-8 of `s`) read as a big-endian uint64, returned as its high and low
 * unsigned 32-bit halves in `out` — exactly what `hashmod` needs, without allocating.
 */
export function md5TailWords(s: string, out: Uint32Array): void {
  const need = paddedLength(s.length * 3);
  if (scratch.length < need) scratch = new Uint8Array(need * 2);
  const n = encodeUtf8Into(s, scratch);
  digestInPlace(scratch, n, words);
  out[0] = byteSwap(words[2]!);
  out[1] = byteSwap(words[3]!);
}

/**
 * The UTF-8 bytes of `s` (lone surrogates become U+FFFD, as with `TextEncoder`). Written here
 * because this package compiles without DOM or Node typings.
 */
export function utf8Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 3);
  return out.subarray(0, encodeUtf8Into(s, out));
}

function paddedLength(n: number): number {
  return ((n + 8) >>> 6) * 64 + 64;
}

function byteSwap(x: number): number {
  return (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
}

/** Writes the UTF-8 bytes of `s` at the start of `out` (room for 3 bytes per code unit) and returns their count. */
function encodeUtf8Into(s: string, out: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
      continue;
    }
    if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 63);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c < 0xdc00 && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        out[n++] = 0xf0 | (c >> 18);
        out[n++] = 0x80 | ((c >> 12) & 63);
        out[n++] = 0x80 | ((c >> 6) & 63);
        out[n++] = 0x80 | (c & 63);
        continue;
      }
      c = 0xfffd;
    }
    out[n++] = 0xe0 | (c >> 12);
    out[n++] = 0x80 | ((c >> 6) & 63);
    out[n++] = 0x80 | (c & 63);
  }
  return n;
}

/** Pads the first `length` bytes of `buf` in place (it must hold `paddedLength(length)` bytes) and digests them into `out` (four little-endian words). */
function digestInPlace(buf: Uint8Array, length: number, out: Int32Array): void {
  const total = paddedLength(length);
  buf[length] = 0x80;
  buf.fill(0, length + 1, total - 8);
  const bitsLo = (length * 8) >>> 0;
  const bitsHi = Math.floor((length * 8) / 2 ** 32);
  for (let i = 0; i < 4; i++) {
    buf[total - 8 + i] = (bitsLo >>> (8 * i)) & 0xff;
    buf[total - 4 + i] = (bitsHi >>> (8 * i)) & 0xff;
  }
  let a0 = 0x67452301;
  let b0 = 0xefcdab89 | 0;
  let c0 = 0x98badcfe | 0;
  let d0 = 0x10325476;
  for (let off = 0; off < total; off += 64) {
    for (let i = 0; i < 16; i++) {
      const o = off + i * 4;
      block[i] = buf[o]! | (buf[o + 1]! << 8) | (buf[o + 2]! << 16) | (buf[o + 3]! << 24);
    }
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) & 15;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) & 15;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) & 15;
      }
      const sum = (a + f + K[i]! + block[g]!) | 0;
      const s = S[i]!;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << s) | (sum >>> (32 - s)))) | 0;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }
  out[0] = a0;
  out[1] = b0;
  out[2] = c0;
  out[3] = d0;
}
