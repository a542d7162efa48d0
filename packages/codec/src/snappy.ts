import { CodecError } from './codec-error.js';
import { crc32c } from './crc32c.js';

/**
 * Compresses `src` into one snappy block (Go's `snappy.Encode`): a uvarint uncompressed length,
 * then literals and back-references found with a 4-byte hash table. Output decodes with any
 * snappy implementation; the exact bytes need not match Go's encoder.
 */
export function snappyEncode(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(32 + src.length + Math.ceil(src.length / 6));
  let o = writeUvarint(out, 0, src.length);
  const table = new Int32Array(1 << 14).fill(-1);
  let literalStart = 0;
  let i = 0;
  while (i + 4 <= src.length) {
    const word = src[i]! | (src[i + 1]! << 8) | (src[i + 2]! << 16) | (src[i + 3]! << 24);
    const h = Math.imul(word, 0x1e35a7bd) >>> 18;
    const candidate = table[h]!;
    table[h] = i;
    if (candidate >= 0 && i - candidate <= 0xffff && src[candidate] === src[i] && src[candidate + 1] === src[i + 1] && src[candidate + 2] === src[i + 2] && src[candidate + 3] === src[i + 3]) {
      o = emitLiteral(out, o, src, literalStart, i);
      let length = 4;
      while (i + length < src.length && src[candidate + length] === src[i + length]) length++;
      o = emitCopy(out, o, i - candidate, length);
      i += length;
      literalStart = i;
    } else i++;
  }
  o = emitLiteral(out, o, src, literalStart, src.length);
  return out.subarray(0, o);
}

function writeUvarint(out: Uint8Array, o: number, v: number): number {
  while (v >= 0x80) {
    out[o++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  out[o++] = v;
  return o;
}

function emitLiteral(out: Uint8Array, o: number, src: Uint8Array, start: number, end: number): number {
  let n = end - start;
  if (n === 0) return o;
  n -= 1;
  if (n < 60) {
    out[o++] = n << 2;
  } else {
    // Tag 60..63: the length minus one follows in 1..4 little-endian bytes.
    const bytes = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
    out[o++] = (59 + bytes) << 2;
    for (let i = 0; i < bytes; i++) out[o++] = (n >>> (8 * i)) & 0xff;
  }
  out.set(src.subarray(start, end), o);
  return o + end - start;
}

function emitCopy(out: Uint8Array, o: number, offset: number, length: number): number {
  // Copies of up to 64 bytes with a 2-byte offset; longer matches become several copies.
  while (length >= 68) {
    out[o++] = (63 << 2) | 2;
    out[o++] = offset & 0xff;
    out[o++] = offset >>> 8;
    length -= 64;
  }
  if (length > 64) {
    out[o++] = (59 << 2) | 2;
    out[o++] = offset & 0xff;
    out[o++] = offset >>> 8;
    length -= 60;
  }
  if (length >= 12 || offset >= 2048) {
    out[o++] = ((length - 1) << 2) | 2;
    out[o++] = offset & 0xff;
    out[o++] = offset >>> 8;
  } else {
    out[o++] = ((offset >>> 8) << 5) | ((length - 4) << 2) | 1;
    out[o++] = offset & 0xff;
  }
  return o;
}

/**
 * Decompresses one snappy block. The length the block's header declares is checked against
 * `maxDecodedBytes` before anything is allocated (a `too_large` {@link CodecError}), so a small
 * body cannot force a large allocation. Throws a `snappy` CodecError naming `what` and the offset
 * inside the block when the data is malformed; never reads or writes out of bounds.
 */
export function snappyDecode(src: Uint8Array, what = 'snappy block', maxDecodedBytes = 0xffffffff): Uint8Array {
  const fail = (at: number, why: string): never => {
    throw new CodecError('snappy', `${what}: corrupt snappy data at byte ${at}: ${why}`);
  };
  let pos = 0;
  let len = 0;
  let mul = 1;
  for (;;) {
    if (pos >= src.length || pos >= 10) fail(pos, 'bad uncompressed length');
    const b = src[pos++]!;
    len += (b & 0x7f) * mul;
    if (b < 0x80) break;
    mul *= 0x80;
  }
  if (len > 0xffffffff) fail(0, `uncompressed length ${len} too large`);
  if (len > maxDecodedBytes) throw new CodecError('too_large', `${what}: decoded length ${len} exceeds the limit of ${maxDecodedBytes} bytes`);
  const dst = new Uint8Array(len);
  let d = 0;
  while (pos < src.length) {
    const tagPos = pos;
    const tag = src[pos++]!;
    let length: number;
    let offset: number;
    switch (tag & 3) {
      case 0: {
        length = tag >>> 2;
        if (length >= 60) {
          const extra = length - 59;
          if (pos + extra > src.length) fail(tagPos, 'literal length runs past the end');
          length = 0;
          for (let i = 0; i < extra; i++) length += src[pos + i]! * 2 ** (8 * i);
          pos += extra;
        }
        length += 1;
        if (pos + length > src.length || d + length > len) fail(tagPos, `literal of ${length} bytes does not fit`);
        dst.set(src.subarray(pos, pos + length), d);
        pos += length;
        d += length;
        continue;
      }
      case 1:
        if (pos + 1 > src.length) fail(tagPos, 'copy runs past the end');
        length = 4 + ((tag >>> 2) & 7);
        offset = ((tag >>> 5) << 8) | src[pos]!;
        pos += 1;
        break;
      case 2:
        if (pos + 2 > src.length) fail(tagPos, 'copy runs past the end');
        length = 1 + (tag >>> 2);
        offset = src[pos]! | (src[pos + 1]! << 8);
        pos += 2;
        break;
      default:
        if (pos + 4 > src.length) fail(tagPos, 'copy runs past the end');
        length = 1 + (tag >>> 2);
        offset = (src[pos]! | (src[pos + 1]! << 8) | (src[pos + 2]! << 16) | (src[pos + 3]! << 24)) >>> 0;
        pos += 4;
    }
    if (offset === 0 || offset > d || d + length > len) fail(tagPos, `copy of ${length} bytes at distance ${offset} is out of range`);
    // Copies may overlap their own output (a run), so go byte by byte.
    for (let i = 0; i < length; i++, d++) dst[d] = dst[d - offset]!;
  }
  if (d !== len) fail(pos, `decoded ${d} bytes, header says ${len}`);
  return dst;
}

const STREAM_IDENTIFIER = [0x73, 0x4e, 0x61, 0x50, 0x70, 0x59]; // "sNaPpY"

/** The framing format's largest decoded chunk, and the largest compressed one (Go's snappy reader). */
const MAX_CHUNK_DECODED = 65_536;
const MAX_CHUNK_ENCODED = 76_490 + 4;

/**
 * Decodes the snappy framing format (Go's `snappy.NewReader`, used for `Content-Encoding:
 * snappy` request bodies): a stream identifier, then compressed or uncompressed chunks, each with
 * the masked CRC-32C of its uncompressed data, which is checked. As Go's reader, a chunk may hold
 * at most 65,536 decoded bytes (checked before decoding it); the whole output at most
 * `maxDecodedBytes` (a `too_large` CodecError).
 */
export function snappyFramedDecode(src: Uint8Array, maxDecodedBytes = Infinity): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  let pos = 0;
  let sawIdentifier = false;
  const corrupt = (why: string): never => {
    throw new CodecError('snappy', `snappy stream: ${why}`);
  };
  while (pos < src.length) {
    if (pos + 4 > src.length) corrupt(`truncated chunk header at byte ${pos}`);
    const type = src[pos]!;
    const length = src[pos + 1]! | (src[pos + 2]! << 8) | (src[pos + 3]! << 16);
    const body = pos + 4;
    if (body + length > src.length) corrupt(`chunk at byte ${pos} runs past the end`);
    const chunk = src.subarray(body, body + length);
    if (type === 0xff) {
      if (length !== 6 || STREAM_IDENTIFIER.some((c, i) => chunk[i] !== c)) corrupt(`bad stream identifier at byte ${pos}`);
      sawIdentifier = true;
    } else if (!sawIdentifier) {
      corrupt('missing stream identifier');
    } else if (type === 0x00 || type === 0x01) {
      if (length < 4) corrupt(`chunk at byte ${pos} is too short`);
      if (type === 0x00 && length > MAX_CHUNK_ENCODED) corrupt(`compressed chunk at byte ${pos} has ${length} bytes, more than the format's ${MAX_CHUNK_ENCODED}`);
      const expected = (chunk[0]! | (chunk[1]! << 8) | (chunk[2]! << 16) | (chunk[3]! << 24)) >>> 0;
      let data: Uint8Array;
      try {
        data = type === 0x00 ? snappyDecode(chunk.subarray(4), `snappy stream chunk at byte ${pos}`, MAX_CHUNK_DECODED) : chunk.subarray(4);
      } catch (err) {
        if (err instanceof CodecError && err.code === 'too_large') corrupt(`chunk at byte ${pos} decodes to more than the format's ${MAX_CHUNK_DECODED} bytes`);
        throw err;
      }
      if (data.length > MAX_CHUNK_DECODED) corrupt(`uncompressed chunk at byte ${pos} holds more than the format's ${MAX_CHUNK_DECODED} bytes`);
      if (maskedCrc(data) !== expected) throw new CodecError('crc', `snappy stream: checksum mismatch in chunk at byte ${pos}`);
      total += data.length;
      if (total > maxDecodedBytes) throw new CodecError('too_large', `snappy stream: decoded data exceeds the limit of ${maxDecodedBytes} bytes`);
      parts.push(data);
    } else if (type >= 0x02 && type <= 0x7f) {
      corrupt(`unsupported chunk type 0x${type.toString(16)} at byte ${pos}`);
    }
    pos = body + length;
  }
  return concat(parts);
}

/** Encodes `src` in the snappy framing format (one compressed chunk per 64 KiB, the format's largest). */
export function snappyFramedEncode(src: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.of(0xff, 6, 0, 0, ...STREAM_IDENTIFIER)];
  for (let start = 0; start < src.length; start += MAX_CHUNK_DECODED) {
    const data = src.subarray(start, Math.min(src.length, start + MAX_CHUNK_DECODED));
    const compressed = snappyEncode(data);
    const length = compressed.length + 4;
    const crc = maskedCrc(data);
    const header = Uint8Array.of(0x00, length & 0xff, (length >>> 8) & 0xff, length >>> 16, crc & 0xff, (crc >>> 8) & 0xff, (crc >>> 16) & 0xff, crc >>> 24);
    parts.push(header, compressed);
  }
  return concat(parts);
}

function maskedCrc(data: Uint8Array): number {
  const c = crc32c(data);
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
