import type { StorageError } from '@pyrometer/storage';
import { corruptionError } from '../errors.js';

/**
 * Where a decode of a chunk can start over once the chunk has grown (a head chunk only ever gets
 * samples appended, which leaves the bits before them as they were): the decoder's state after
 * sample n − 1, as this many numbers [n, bit position, its time, time delta, value high word,
 * value low word, leading zeros, trailing zeros], kept at an offset of a Float64Array (see
 * {@link XorDecoder.decodeFrom}).
 */
export const RESUME_POINT_LENGTH = 8;

const NO_POINTS = new Float64Array(0);

/** Zero bytes after a chunk's copy, so every bit window a sample can read stays inside the array. */
const PADDING = 24;

/**
 * Decodes a whole XOR chunk at once into columns: timestamps, and values as (high, low) int32
 * words of their IEEE-754 bits (so no NaN payload, the staleness marker's included, is lost).
 * One decoder is reused for chunk after chunk; `decode` overwrites the previous chunk's samples.
 * The decode loop keeps its state in locals and reads the bit stream through 32-bit windows,
 * which is what makes it several times faster than decoding sample by sample. Corrupt data ends
 * it early: the samples before the corruption are kept, `error` says where.
 */
export class XorDecoder {
  ts = new Float64Array(128);
  /** words[2i] is the high, words[2i + 1] the low 32 bits of value i. */
  words = new Int32Array(256);
  count = 0;
  error: StorageError | undefined = undefined;
  /**
   * When the last decode resumed from a point: the time (else −Infinity) and value words of the
   * sample before `ts[0]`, which the point's state holds.
   */
  resumedT = -Infinity;
  resumedHi = 0;
  resumedLo = 0;
  /** Where the encoder would continue: bit position, last timestamp delta, leading and trailing zeros. */
  bitPos = 0;
  tDelta = 0;
  leading = 0;
  trailing = 0;
  private padded = new Uint8Array(256);
  private paddedView = new DataView(this.padded.buffer);
  /** The last buffer decoded in place, and a view over all of it (chunks of one page share it). */
  private lastBuffer: ArrayBufferLike | undefined;
  private lastView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  /** Decodes `data` (chunk data: the uint16 sample count, then the bit stream). */
  decode(data: Uint8Array): void {
    this.decodeFrom(data, NO_POINTS, -1, -Infinity, -1);
  }

  /**
   * Decodes `data` from the resume point at `points[from…]` on when `from` ≥ 0 (a point recorded
   * by an earlier decode of the same chunk, which only grew since, see {@link RESUME_POINT_LENGTH}):
   * the samples before it are left out, so `ts[0]` is then sample `points[from]`. Records at
   * `points[save…]`, when `save` ≥ 0, the point after the last sample whose time is before
   * `before` (when there is one after where the decode started). `from` and `save` may be equal.
   */
  decodeFrom(data: Uint8Array, points: Float64Array, from: number, before: number, save: number): void {
    this.count = 0;
    this.varintBytes = 0;
    this.error = undefined;
    this.bitPos = 16;
    this.tDelta = 0;
    this.leading = 0;
    this.trailing = 0;
    this.resumedT = -Infinity;
    if (data.length < 2) {
      this.error = corruptionError('XOR chunk', 0, `${data.length} bytes is shorter than the 2-byte header`);
      return;
    }
    const total = (data[0]! << 8) | data[1]!;
    if (total === 0) return;
    // Decoded where it lies when the bytes after it (whatever they are) cover the padding, else from a zero-padded copy.
    let d: DataView;
    let base: number;
    if (data.byteOffset + data.length + PADDING <= data.buffer.byteLength) {
      if (data.buffer !== this.lastBuffer) {
        this.lastBuffer = data.buffer;
        this.lastView = new DataView(data.buffer);
      }
      d = this.lastView;
      base = data.byteOffset;
    } else {
      if (this.padded.length < data.length + PADDING) {
        this.padded = new Uint8Array(2 * data.length + PADDING);
        this.paddedView = new DataView(this.padded.buffer);
      }
      this.padded.set(data);
      this.padded.fill(0, data.length, data.length + PADDING);
      d = this.paddedView;
      base = 0;
    }
    if (this.ts.length < total) {
      this.ts = new Float64Array(total);
      this.words = new Int32Array(2 * total);
    }
    const ts = this.ts;
    const words = this.words;
    const baseBit = base * 8;
    const endBit = baseBit + data.length * 8;
    let pos = baseBit + 16;
    let t = 0;
    let tDelta = 0;
    let hi = 0;
    let lo = 0;
    let leading = 0;
    let trailing = 0;
    let n = 0;
    if (from >= 0 && points[from]! >= 1 && points[from]! <= total && points[from + 1]! <= data.length * 8) {
      n = points[from]!;
      pos = baseBit + points[from + 1]!;
      t = points[from + 2]!;
      tDelta = points[from + 3]!;
      hi = points[from + 4]!;
      lo = points[from + 5]!;
      leading = points[from + 6]!;
      trailing = points[from + 7]!;
      this.bitPos = points[from + 1]!;
      this.resumedT = t;
      this.resumedHi = hi;
      this.resumedLo = lo;
    }
    const first = n;
    for (; n < total; n++) {
      const start = pos;
      if (save >= 0 && n > 0 && t < before) {
        points[save] = n;
        points[save + 1] = pos - baseBit;
        points[save + 2] = t;
        points[save + 3] = tDelta;
        points[save + 4] = hi;
        points[save + 5] = lo;
        points[save + 6] = leading;
        points[save + 7] = trailing;
      }
      if (n === 0) {
        const u = this.uvarintAt(d, pos);
        pos += 8 * this.varintBytes;
        t = u % 2 === 0 ? u / 2 : -(u + 1) / 2;
        hi = peek(d, pos);
        lo = peek(d, pos + 32);
        pos += 64;
      } else {
        if (n === 1) {
          tDelta = this.uvarintAt(d, pos);
          pos += 8 * this.varintBytes;
        } else {
          // Delta of delta: 0, or 10 + 14 bits, 110 + 17, 1110 + 20, 1111 + 64 (two's complement).
          const w = peek(d, pos);
          if (w >= 0) pos += 1;
          else if (w >>> 30 === 2) {
            const b = (w << 2) >>> 18;
            tDelta += b > 8192 ? b - 16384 : b;
            pos += 16;
          } else if (w >>> 29 === 6) {
            const b = (w << 3) >>> 15;
            tDelta += b > 65536 ? b - 131072 : b;
            pos += 20;
          } else if (w >>> 28 === 14) {
            const b = (w << 4) >>> 12;
            tDelta += b > 524288 ? b - 1048576 : b;
            pos += 24;
          } else {
            tDelta += peek(d, pos + 4) * 4294967296 + (peek(d, pos + 36) >>> 0);
            pos += 68;
          }
        }
        t += tDelta;
        // Value: 0 = unchanged; 10 = XOR with the previous leading/trailing zeros; 11 = new ones.
        const w = peek(d, pos);
        if (w >= 0) pos += 1;
        else {
          let mbits: number;
          if ((w & 0x40000000) === 0) {
            mbits = 64 - leading - trailing;
            pos += 2;
          } else {
            leading = (w >>> 25) & 0x1f;
            mbits = (w >>> 19) & 0x3f;
            if (mbits === 0) mbits = 64;
            trailing = 64 - leading - mbits;
            pos += 13;
          }
          let xh = 0;
          let xl: number;
          if (mbits > 32) {
            xh = (peek(d, pos) >>> (64 - mbits)) | 0;
            xl = peek(d, pos + mbits - 32);
          } else {
            xl = (peek(d, pos) >>> (32 - mbits)) | 0;
          }
          pos += mbits;
          if (trailing >= 32) {
            xh = xl << (trailing - 32);
            xl = 0;
          } else if (trailing > 0) {
            xh = (xh << trailing) | (xl >>> (32 - trailing));
            xl = xl << trailing;
          }
          hi ^= xh;
          lo ^= xl;
        }
      }
      if (pos > endBit || this.varintBytes < 0) {
        this.error = corruptionError('XOR chunk', (start - baseBit) >>> 3, `sample ${n} of ${total} runs past the end of the data (bit ${start - baseBit})`);
        break;
      }
      const k = n - first;
      ts[k] = t;
      words[2 * k] = hi;
      words[2 * k + 1] = lo;
      this.bitPos = pos - baseBit;
    }
    this.count = n - first;
    this.tDelta = tDelta;
    this.leading = leading;
    this.trailing = trailing;
  }

  /** Bytes the last {@link uvarintAt} read (-1: longer than 10 bytes). */
  private varintBytes = 0;

  /** The uvarint written byte by byte from bit `pos` (not byte-aligned in XOR chunks). */
  private uvarintAt(d: DataView, pos: number): number {
    let u = 0;
    let mul = 1;
    for (let k = 0; k < 10; k++) {
      const b = peek(d, pos + 8 * k) >>> 24;
      u += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.varintBytes = k + 1;
        return u;
      }
      mul *= 0x80;
    }
    this.varintBytes = -1;
    return 0;
  }
}

/** The 32 bits starting at bit `pos` of `d`, most significant first, as an int32. */
function peek(d: DataView, pos: number): number {
  const i = pos >>> 3;
  const o = pos & 7;
  const w = d.getInt32(i);
  return o === 0 ? w : (w << o) | (d.getUint8(i + 4) >>> (8 - o));
}

