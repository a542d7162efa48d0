// Prometheus marks the end of a series with a NaN whose bits are 0x7ff0000000000002 (StaleNaN).
// V8 does not promise to keep NaN payloads (double arrays and some typed-array paths canonicalise
// them), so in memory staleness is a separate boolean (Appender.append(..., stale),
// SampleIterator.atStale()). The bit pattern exists only at format boundaries — WAL, chunks,
// remote write — and the helpers below read and write it as two raw 32-bit words, never as a
// float, so the marker survives byte for byte.

/** High 32 bits of Prometheus's staleness marker (`value.StaleNaN`). */
export const STALE_NAN_HI = 0x7ff00000;
/** Low 32 bits of Prometheus's staleness marker. */
export const STALE_NAN_LO = 0x00000002;
/** High 32 bits of the NaN Go produces (`math.NaN()`, `value.NormalNaN`): what we write for any non-stale NaN. */
export const NORMAL_NAN_HI = 0x7ff80000;
/** Low 32 bits of Go's NaN. */
export const NORMAL_NAN_LO = 0x00000001;

/** The marker's bytes in big-endian order. */
const STALE_NAN_BYTES = [0x7f, 0xf0, 0, 0, 0, 0, 0, 0x02] as const;

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN_HOST ? 1 : 0;
const LO = LITTLE_ENDIAN_HOST ? 0 : 1;

/** True when the raw words `hi`/`lo` are the staleness marker (any sign of the integers is accepted). */
export function isStaleNaNWords(hi: number, lo: number): boolean {
  return hi >>> 0 === STALE_NAN_HI && lo >>> 0 === STALE_NAN_LO;
}

/**
 * The high word of the float64 stored for a sample: the marker's when `stale`, Go's NaN for any
 * other NaN, else the IEEE-754 bits of `value`. Pair with {@link sampleLoWord}; both are unsigned.
 */
export function sampleHiWord(value: number, stale: boolean): number {
  if (stale) return STALE_NAN_HI;
  if (value !== value) return NORMAL_NAN_HI;
  scratch[0] = value;
  return scratchWords[HI]!;
}

/** The low word of the float64 stored for a sample (see {@link sampleHiWord}). */
export function sampleLoWord(value: number, stale: boolean): number {
  if (stale) return STALE_NAN_LO;
  if (value !== value) return NORMAL_NAN_LO;
  scratch[0] = value;
  return scratchWords[LO]!;
}

/** The float64 whose bits are `hi`/`lo`. NaN payloads are not preserved: test staleness with {@link isStaleNaNWords} first. */
export function floatFromWords(hi: number, lo: number): number {
  scratchWords[HI] = hi;
  scratchWords[LO] = lo;
  return scratch[0]!;
}

/**
 * Writes a sample value as 8 bytes at `offset` of `view`, big-endian unless `littleEndian`: the
 * staleness marker when `stale` (whatever `value` is), Go's NaN bits for any other NaN, else the
 * value's IEEE-754 bits. Throws a RangeError when the 8 bytes do not fit.
 */
export function writeSampleValue(view: DataView, offset: number, value: number, stale: boolean, littleEndian: boolean): void {
  if (!(offset >= 0 && offset + 8 <= view.byteLength)) throw new RangeError(`sample value at offset ${offset} does not fit in ${view.byteLength} bytes`);
  const hi = sampleHiWord(value, stale);
  const lo = sampleLoWord(value, stale);
  view.setUint32(littleEndian ? offset + 4 : offset, hi, littleEndian);
  view.setUint32(littleEndian ? offset : offset + 4, lo, littleEndian);
}

/** Like {@link writeSampleValue}, into a byte array at `offset` (no allocation). */
export function writeSampleValueBytes(bytes: Uint8Array, offset: number, value: number, stale: boolean, littleEndian: boolean): void {
  if (!(offset >= 0 && offset + 8 <= bytes.length)) throw new RangeError(`sample value at offset ${offset} does not fit in ${bytes.length} bytes`);
  const hi = sampleHiWord(value, stale);
  const lo = sampleLoWord(value, stale);
  for (let i = 0; i < 4; i++) {
    const hiByte = (hi >>> (24 - 8 * i)) & 0xff;
    const loByte = (lo >>> (24 - 8 * i)) & 0xff;
    if (littleEndian) {
      bytes[offset + 7 - i] = hiByte;
      bytes[offset + 3 - i] = loByte;
    } else {
      bytes[offset + i] = hiByte;
      bytes[offset + 4 + i] = loByte;
    }
  }
}

/** Reads the 8-byte float64 at `offset` (big-endian unless `littleEndian`). A stale marker reads as NaN; see {@link isStaleAt}. */
export function readSampleValue(view: DataView, offset: number, littleEndian: boolean): number {
  return view.getFloat64(offset, littleEndian);
}

/** True when the 8 bytes at `offset` are exactly the staleness marker, judged from the raw words. */
export function isStaleAt(view: DataView, offset: number, littleEndian: boolean): boolean {
  const hi = view.getUint32(littleEndian ? offset + 4 : offset, littleEndian);
  const lo = view.getUint32(littleEndian ? offset : offset + 4, littleEndian);
  return isStaleNaNWords(hi, lo);
}

/** Like {@link isStaleAt}, for a byte array (no allocation; false when the 8 bytes are not all there). */
export function isStaleBytes(bytes: Uint8Array, offset: number, littleEndian: boolean): boolean {
  if (!(offset >= 0 && offset + 8 <= bytes.length)) return false;
  for (let i = 0; i < 8; i++) if (bytes[littleEndian ? offset + 7 - i : offset + i] !== STALE_NAN_BYTES[i]) return false;
  return true;
}
