import { describe, expect, it } from 'vitest';
import { BitWriter } from './bit-writer.js';
import { ByteSlab } from './byte-slab.js';

describe('bit writer', () => {
  it('writes random fields of every width at every alignment, most significant bit first', () => {
    let x = 0x9e3779b9;
    const rnd = (): number => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 0);
    const fields: { n: number; v: number }[] = [];
    const w = new BitWriter(4);
    for (let i = 0; i < 5000; i++) {
      const n = rnd() % 33;
      const v = n === 32 ? rnd() : rnd() & ((1 << n) - 1) >>> 0;
      fields.push({ n, v: n === 0 ? 0 : v >>> 0 });
      if (i % 7 === 0) {
        w.writeBit(v & 1);
        fields[i] = { n: 1, v: v & 1 };
      } else {
        w.writeBits(v, n);
      }
    }
    // Read back most significant bit first, one bit at a time.
    const bytes = w.bytes();
    let pos = 0;
    const read = (n: number): number => {
      let v = 0;
      for (let k = 0; k < n; k++, pos++) v = v * 2 + ((bytes[pos >>> 3]! >>> (7 - (pos & 7))) & 1);
      return v;
    };
    for (const f of fields) expect(read(f.n)).toBe(f.v);
    expect(Math.ceil(pos / 8)).toBe(bytes.length);
  });

  it('writes the same bytes into shared slabs as into arrays of its own, with streams interleaved and growing across slabs', () => {
    let x = 0x2545f491;
    const rnd = (): number => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 0);
    // Small slabs, so streams grow into new slabs and share each slab with others.
    const slab = new ByteSlab(256);
    const own = Array.from({ length: 5 }, () => BitWriter.afterHeader(2));
    const shared = Array.from({ length: 5 }, () => BitWriter.afterHeader(2, slab));
    for (let i = 0; i < 4000; i++) {
      const k = rnd() % own.length;
      const n = rnd() % 33;
      const v = rnd();
      own[k]!.writeBits(v, n);
      shared[k]!.writeBits(v, n);
      if (i % 5 === 0) {
        own[k]!.writeBit(v & 1);
        shared[k]!.writeBit(v & 1);
      }
      own[k]!.setByte(0, i & 0xff);
      shared[k]!.setByte(0, i & 0xff);
    }
    for (let k = 0; k < own.length; k++) {
      expect(shared[k]!.bytes().length).toBeGreaterThan(256);
      expect([...shared[k]!.bytes()]).toEqual([...own[k]!.bytes()]);
    }
  });
});
