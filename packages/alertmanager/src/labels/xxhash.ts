import type { Labels } from '@pyrometer/model';

const MASK = 0xffffffffffffffffn;
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;

const rotl = (v: bigint, r: bigint) => ((v << r) | (v >> (64n - r))) & MASK;
const round = (acc: bigint, lane: bigint) => (rotl((acc + lane * P2) & MASK, 31n) * P1) & MASK;
const merge = (h: bigint, v: bigint) => (((h ^ round(0n, v)) * P1 + P4) & MASK);

function u64(b: Uint8Array, i: number): bigint {
  const view = new DataView(b.buffer, b.byteOffset + i, 8);
  return view.getBigUint64(0, true);
}

/** XXH64 with seed 0 (cespare/xxhash, which upstream's notification log uses). */
export function xxhash64(b: Uint8Array): bigint {
  const n = b.length;
  let i = 0;
  let h: bigint;
  if (n >= 32) {
    let v1 = (P1 + P2) & MASK;
    let v2 = P2;
    let v3 = 0n;
    let v4 = (-P1) & MASK;
    for (; i + 32 <= n; i += 32) {
      v1 = round(v1, u64(b, i));
      v2 = round(v2, u64(b, i + 8));
      v3 = round(v3, u64(b, i + 16));
      v4 = round(v4, u64(b, i + 24));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & MASK;
    h = merge(merge(merge(merge(h, v1), v2), v3), v4);
  } else h = P5;
  h = (h + BigInt(n)) & MASK;
  for (; i + 8 <= n; i += 8) h = (rotl(h ^ round(0n, u64(b, i)), 27n) * P1 + P4) & MASK;
  if (i + 4 <= n) {
    const word = BigInt(new DataView(b.buffer, b.byteOffset + i, 4).getUint32(0, true));
    h = (rotl(h ^ ((word * P1) & MASK), 23n) * P2 + P3) & MASK;
    i += 4;
  }
  for (; i < n; i++) h = (rotl(h ^ ((BigInt(b[i]!) * P5) & MASK), 11n) * P1) & MASK;
  h ^= h >> 33n;
  h = (h * P2) & MASK;
  h ^= h >> 29n;
  h = (h * P3) & MASK;
  h ^= h >> 32n;
  return h;
}

const utf8 = new TextEncoder();

/**
 * The hash the notification log records an alert by (upstream's `hashAlert`): XXH64 over each
 * label name and value in name order, each followed by the byte 0xff. Matching upstream lets us
 * read a notification log Alertmanager wrote and keep its deduplication.
 */
export function alertHash(labels: Labels): bigint {
  const parts: Uint8Array[] = [];
  let size = 0;
  labels.forEach((name, value) => {
    for (const s of [name, value]) {
      const bytes = utf8.encode(s);
      parts.push(bytes, SEPARATOR);
      size += bytes.length + 1;
    }
  });
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return xxhash64(all);
}

const SEPARATOR = Uint8Array.of(0xff);
