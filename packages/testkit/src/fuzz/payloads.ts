import { gzipSync } from 'node:zlib';

// Bodies a careless decoder chokes on. Each is small on the wire and built once per process.

let gzipBombCache: Buffer | undefined;

/**
 * A gzip body of about 1 MiB that inflates to 1 GiB of zeros: 64 concatenated gzip members of
 * 16 MiB each (gunzip decodes concatenated members as one stream).
 */
export function gzipBomb(): Buffer {
  gzipBombCache ??= Buffer.concat(Array<Buffer>(64).fill(gzipSync(Buffer.alloc(16 * 2 ** 20), { level: 9 })));
  return gzipBombCache;
}

/** A gzip body cut off in the middle of its deflate stream. */
export function truncatedGzip(): Buffer {
  const whole = gzipSync(Buffer.from('some_metric{label="value"} 1\n'.repeat(200)));
  return whole.subarray(0, Math.floor(whole.length / 2));
}

/** Snappy's uvarint length prefix. */
function uvarint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

/**
 * One snappy block that is `copies` × 64 zero bytes once decoded: a one-byte literal, then
 * copies of 64 bytes at distance 1 (3 bytes each), so it expands about 21 times.
 */
function zeroRunBlock(copies: number, declaredLength = 1 + copies * 64): Buffer {
  const out = [...uvarint(declaredLength), 0x00, 0x00];
  for (let i = 0; i < copies; i++) out.push((63 << 2) | 2, 1, 0);
  return Buffer.from(out);
}

/** A snappy block whose header declares 4 GiB − 1 decoded bytes while carrying a few. */
export function snappyBlockLengthBomb(): Buffer {
  return zeroRunBlock(4, 0xffffffff);
}

/** A valid snappy block of 16 MiB of zeros in about 768 KiB. */
export function snappyBlockBomb(): Buffer {
  return zeroRunBlock(2 ** 18);
}

const STREAM_IDENTIFIER = Buffer.from([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59]);

/**
 * A snappy framed stream (Content-Encoding: snappy) whose chunks each decode to 16 MiB, far
 * beyond the framing format's 65,536-byte limit per chunk; the checksums are zero, so a decoder
 * that allocates before checking the chunk's size is caught allocating.
 */
export function snappyFramedBomb(): Buffer {
  const block = zeroRunBlock(2 ** 18);
  const header = Buffer.from([0x00, (block.length + 4) & 0xff, ((block.length + 4) >>> 8) & 0xff, (block.length + 4) >>> 16, 0, 0, 0, 0]);
  return Buffer.concat([STREAM_IDENTIFIER, ...Array<Buffer>(4).fill(Buffer.concat([header, block]))]);
}

/** A framed stream whose only chunk runs past the end of the body. */
export function truncatedSnappyFramed(): Buffer {
  return Buffer.concat([STREAM_IDENTIFIER, Buffer.from([0x00, 0xff, 0xff, 0x00, 1, 2, 3])]);
}
