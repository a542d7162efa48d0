import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from './utf8.js';

describe('decodeUtf8', () => {
  it('decodes valid UTF-8 exactly as TextDecoder does, U+FFFD included', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => decodeUtf8(new TextEncoder().encode(s)) === s));
    expect(decodeUtf8(new TextEncoder().encode('a\ufffdb'))).toBe('a\ufffdb');
  });

  it.each([
    { name: 'stray continuation byte', bytes: [0x61, 0x80, 0x62], want: 'a\udc80b' },
    { name: 'invalid lead byte', bytes: [0xff, 0xfe], want: '\udcff\udcfe' },
    { name: 'truncated sequence', bytes: [0xe2, 0x82], want: '\udce2\udc82' },
    { name: 'overlong encoding of /', bytes: [0xc0, 0xaf], want: '\udcc0\udcaf' },
    { name: 'encoded surrogate', bytes: [0xed, 0xa0, 0x80], want: '\udced\udca0\udc80' },
    { name: 'beyond U+10FFFF', bytes: [0xf4, 0x90, 0x80, 0x80], want: '\udcf4\udc90\udc80\udc80' },
    { name: 'valid text around an invalid byte', bytes: [0xe2, 0x82, 0xac, 0xff, 0x7a], want: '€\udcffz' },
  ])('keeps invalid bytes visible as lone surrogates: $name', ({ bytes, want }) => {
    expect(decodeUtf8(Uint8Array.from(bytes))).toBe(want);
  });

  it('decodes a slice', () => {
    expect(decodeUtf8(new TextEncoder().encode('xxhelloxx'), 2, 7)).toBe('hello');
  });
});
