import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { md5, md5TailWords, utf8Bytes } from './md5.js';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('md5', () => {
  // The test suite of RFC 1321, appendix A.5.
  it.each([
    { input: '', want: 'd41d8cd98f00b204e9800998ecf8427e' },
    { input: 'a', want: '0cc175b9c0f1b6a831c399e269772661' },
    { input: 'abc', want: '900150983cd24fb0d6963f7d28e17f72' },
    { input: 'message digest', want: 'f96b697d7cb7938d525a2f31aaf161d0' },
    { input: 'abcdefghijklmnopqrstuvwxyz', want: 'c3fcd3d76192e4007dfb496cca67e13b' },
    { input: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', want: 'd174ab98d277d9f5a5611c2c9f419d9f' },
    { input: '12345678901234567890123456789012345678901234567890123456789012345678901234567890', want: '57edf4a22be3c955ac49da2e2107b67a' },
  ])('RFC 1321: "$input"', ({ input, want }) => {
    expect(hex(md5(utf8(input)))).toBe(want);
  });

  // Expected digests computed with Python's hashlib.md5.
  it.each([
    { name: '55 bytes (padding fits one block)', input: 'x'.repeat(55), want: '04364420e25c512fd958a70738aa8f72' },
    { name: '56 bytes (padding needs a second block)', input: 'x'.repeat(56), want: '668a72d5ba17f08e62dabcafad6db14b' },
    { name: '64 bytes', input: 'x'.repeat(64), want: 'c1bb4f81d892b2d57947682aeb252456' },
    { name: 'multi-byte UTF-8', input: 'héllo wörld', want: 'ed0c22cc110ede12327851863c078138' },
  ])('block boundaries: $name', ({ input, want }) => {
    expect(hex(md5(utf8(input)))).toBe(want);
  });

  it('does not modify its input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const copy = bytes.slice();
        expect(md5(bytes)).toHaveLength(16);
        expect(bytes).toEqual(copy);
      }),
    );
  });
});

describe('utf8Bytes', () => {
  it('encodes like TextEncoder, including astral characters and lone surrogates', () => {
    const enc = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom('\ud800', '\udfff', '\u{1F600}', '\u07ff', '\u0800', '\uffff'), fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))) }), (s) => {
        expect(utf8Bytes(s)).toEqual(enc.encode(s));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('md5TailWords', () => {
  it('gives bytes 8-15 of the digest as big-endian words, for short and long strings alike', () => {
    const out = new Uint32Array(2);
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        md5TailWords(s, out);
        const digest = md5(utf8Bytes(s));
        const view = new DataView(digest.buffer);
        expect([out[0], out[1]]).toEqual([view.getUint32(8), view.getUint32(12)]);
      }),
    );
  });
});
