import { describe, expect, it } from 'vitest';
import { BitReader } from './bit-reader.js';
import { BitWriter } from './bit-writer.js';

describe('bit stream', () => {
  it('reads back random fields of every width at every alignment', () => {
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
    const r = new BitReader();
    r.reset(w.bytes(), 0);
    for (const f of fields) expect(f.n === 1 ? r.readBit() : r.readBits(f.n)).toBe(f.v);
    expect(r.overrun).toBe(false);
    r.readBits(32);
    r.readBits(32);
    expect(r.overrun).toBe(true);
  });
});
