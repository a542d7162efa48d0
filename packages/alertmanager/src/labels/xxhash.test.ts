import { describe, expect, it } from 'vitest';
import { Labels } from '@pyrometer/model';
import { alertHash, xxhash64 } from './xxhash.js';

// Reference values of XXH64 (seed 0) from the xxHash project's test vectors and cespare/xxhash.
describe('xxhash64', () => {
  it.each([
    { input: '', want: 0xef46db3751d8e999n },
    { input: 'a', want: 0xd24ec4f1a98c6e5bn },
    { input: 'abc', want: 0x44bc2cf5ad770999n },
    { input: 'message digest', want: 0x066ed728fceeb3ben },
    { input: 'abcdefghijklmnopqrstuvwxyz', want: 0xcfe1f278fa89835cn },
    { input: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', want: 0xaaa46907d3047814n },
    { input: '12345678901234567890123456789012345678901234567890123456789012345678901234567890', want: 0xe04a477f19ee145dn },
  ])('$input', ({ input, want }) => {
    expect(xxhash64(new TextEncoder().encode(input))).toBe(want);
  });
});

describe('alertHash', () => {
  it('hashes each name and value in name order, each followed by 0xff, for short and long label sets', () => {
    const long = 'x'.repeat(3000);
    for (const record of [{ alertname: 'Lag', job: 'flink' }, { a: 'é中😀', b: long, c: long }]) {
      const labels = Labels.from(record);
      const bytes = Buffer.concat(Object.keys(record).sort().flatMap((n) => [Buffer.from(n), Buffer.of(0xff), Buffer.from(labels.get(n)), Buffer.of(0xff)]));
      expect(alertHash(labels)).toBe(xxhash64(bytes));
    }
  });
});
