import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  floatFromWords,
  isStaleAt,
  isStaleBytes,
  isStaleNaNWords,
  readSampleValue,
  sampleHiWord,
  sampleLoWord,
  writeSampleValue,
  writeSampleValueBytes,
} from './stale.js';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe('staleness marker at format boundaries', () => {
  it.each([
    { name: 'stale, big-endian', value: 42, stale: true, littleEndian: false, want: '7ff0000000000002', isStale: true },
    { name: 'stale, little-endian', value: 42, stale: true, littleEndian: true, want: '020000000000f07f', isStale: true },
    { name: 'stale wins over NaN', value: NaN, stale: true, littleEndian: false, want: '7ff0000000000002', isStale: true },
    { name: 'normal NaN gets Go bits', value: NaN, stale: false, littleEndian: false, want: '7ff8000000000001', isStale: false },
    { name: 'normal NaN little-endian', value: NaN, stale: false, littleEndian: true, want: '010000000000f87f', isStale: false },
    { name: 'one', value: 1, stale: false, littleEndian: false, want: '3ff0000000000000', isStale: false },
    { name: 'negative zero', value: -0, stale: false, littleEndian: false, want: '8000000000000000', isStale: false },
    { name: '+Inf', value: Infinity, stale: false, littleEndian: true, want: '000000000000f07f', isStale: false },
  ])('$name', ({ value, stale, littleEndian, want, isStale }) => {
    const bytes = new Uint8Array(12).fill(0xee);
    writeSampleValueBytes(bytes, 2, value, stale, littleEndian);
    expect(hex(bytes.subarray(2, 10))).toBe(want);
    expect(hex(bytes.subarray(0, 2)) + hex(bytes.subarray(10))).toBe('eeeeeeee'); // neighbours untouched
    expect(isStaleBytes(bytes, 2, littleEndian)).toBe(isStale);
    const view = new DataView(bytes.buffer);
    const back = readSampleValue(view, 2, littleEndian);
    if (Number.isNaN(value) || stale) expect(back).toBeNaN();
    else expect(Object.is(back, value)).toBe(true);
  });

  it('survives write → read → write byte-exactly through the word API', () => {
    const a = new DataView(new ArrayBuffer(8));
    writeSampleValue(a, 0, 0, true, false);
    const hi = a.getUint32(0);
    const lo = a.getUint32(4);
    expect(isStaleNaNWords(hi, lo)).toBe(true);
    const b = new DataView(new ArrayBuffer(8));
    // Copy via the words only, never through a JS number.
    b.setUint32(0, hi);
    b.setUint32(4, lo);
    expect(isStaleAt(b, 0, false)).toBe(true);
    expect(hex(new Uint8Array(b.buffer))).toBe('7ff0000000000002');
  });

  it.each([
    { name: 'stale', value: 3, stale: true, hi: 0x7ff00000, lo: 2 },
    { name: 'NaN', value: NaN, stale: false, hi: 0x7ff80000, lo: 1 },
    { name: 'pi', value: Math.PI, stale: false, hi: 0x400921fb, lo: 0x54442d18 },
    { name: 'negative', value: -2, stale: false, hi: 0xc0000000, lo: 0 },
  ])('words of $name', ({ value, stale, hi, lo }) => {
    expect(sampleHiWord(value, stale)).toBe(hi);
    expect(sampleLoWord(value, stale)).toBe(lo);
    expect(isStaleNaNWords(hi, lo)).toBe(stale);
    if (!stale && !Number.isNaN(value)) expect(floatFromWords(hi, lo)).toBe(value);
  });

  it('does not mistake other NaNs for the marker', () => {
    expect(isStaleNaNWords(0x7ff00000, 1)).toBe(false);
    expect(isStaleNaNWords(0xfff00000, 2)).toBe(false);
    expect(isStaleNaNWords(0x7ff80000, 2)).toBe(false);
    expect(isStaleNaNWords(0x7ff00000 | 0, 2 | 0)).toBe(true);
  });

  it('refuses to write past the end of the buffer, writing nothing', () => {
    const short = new Uint8Array(7);
    expect(() => writeSampleValueBytes(short, 0, 1, false, false)).toThrow(RangeError);
    expect(() => writeSampleValue(new DataView(short.buffer), 0, 1, true, true)).toThrow(RangeError);
    expect(short).toEqual(new Uint8Array(7));
    expect(isStaleBytes(short, 0, false)).toBe(false);
  });

  it('writes ordinary values exactly as DataView.setFloat64 does', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.boolean(), fc.integer({ min: 0, max: 8 }), (v, littleEndian, offset) => {
        const ours = new Uint8Array(16);
        writeSampleValueBytes(ours, offset, v, false, littleEndian);
        const theirs = new Uint8Array(16);
        new DataView(theirs.buffer).setFloat64(offset, v, littleEndian);
        expect(ours).toEqual(theirs);
        expect(isStaleBytes(ours, offset, littleEndian)).toBe(false);
        expect(Object.is(readSampleValue(new DataView(ours.buffer), offset, littleEndian), v)).toBe(true);
      }),
    );
  });
});
