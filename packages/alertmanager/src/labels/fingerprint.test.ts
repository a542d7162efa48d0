import { Labels } from '@pyrometer/model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint } from './fingerprint.js';

/** FNV-1a 64 the slow, obvious way, as the reference. */
function referenceFnv(labels: Labels): string {
  let h = 0xcbf29ce484222325n;
  const add = (b: number) => {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  };
  labels.forEach((n, v) => {
    for (const b of Buffer.from(n)) add(b);
    add(0xff);
    for (const b of Buffer.from(v)) add(b);
    add(0xff);
  });
  return h.toString(16).padStart(16, '0');
}

describe('fingerprint', () => {
  it('of the empty set is the FNV-1a offset basis', () => {
    expect(fingerprint(Labels.EMPTY)).toBe('cbf29ce484222325');
  });

  it('hashes 2-, 3- and 4-byte characters and lone surrogates (as U+FFFD) like their UTF-8 bytes', () => {
    const labels = Labels.from({ a: 'é中😀', b: '\ud800x', c: 'y\udc00' });
    expect(fingerprint(labels)).toBe(referenceFnv(labels));
  });

  it('equals a BigInt FNV-1a 64 over name 0xff value 0xff for any label set', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'grapheme', minLength: 1 }), fc.string({ unit: 'binary', minLength: 1 })), (record) => {
        const labels = Labels.from(record);
        expect(fingerprint(labels)).toBe(referenceFnv(labels));
      }),
    );
  });
});
