import { ValueType } from '@pyrometer/storage';
import { describe, expect, it } from 'vitest';
import { XorChunk } from './xor-chunk.js';
import { XorIterator } from './xor-iterator.js';

interface Sample {
  t: number;
  v: number;
  stale?: boolean;
}

function encode(samples: Sample[]): XorChunk {
  const c = XorChunk.create();
  const app = c.appender();
  for (const s of samples) app.append(s.t, s.v, s.stale ?? false);
  return c;
}

function decode(data: Uint8Array): Sample[] {
  const it = new XorIterator();
  it.reset(data);
  const out: Sample[] = [];
  while (it.next() === ValueType.Float) out.push(it.atStale() ? { t: it.atT(), v: it.atF(), stale: true } : { t: it.atT(), v: it.atF() });
  expect(it.err()).toBeUndefined();
  return out;
}

function series(n: number, t0: number, step: (i: number) => number, value: (i: number) => number): Sample[] {
  const out: Sample[] = [];
  let t = t0;
  for (let i = 0; i < n; i++) {
    out.push({ t, v: value(i) });
    t += step(i);
  }
  return out;
}

const cases: { name: string; samples: Sample[] }[] = [
  { name: 'one sample', samples: [{ t: 1_700_000_000_000, v: 1.5 }] },
  { name: 'regular scrape counter', samples: series(120, 1_700_000_000_000, () => 15_000, (i) => i * 3) },
  { name: 'jittered timestamps', samples: series(120, 1_700_000_000_123, (i) => 15_000 + ((i * 7919) % 400) - 200, (i) => Math.sin(i) * 1e3) },
  { name: 'special values', samples: [0, -0, NaN, Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_VALUE, -1e-300, 0.1].map((v, i) => ({ t: 1000 * i, v })) },
  {
    name: 'stale markers between values',
    samples: [
      { t: 1, v: 5 },
      { t: 2, v: 0, stale: true },
      { t: 3, v: 5 },
      { t: 4, v: NaN },
      { t: 5, v: 0, stale: true },
      { t: 6, v: 0, stale: true },
    ],
  },
  { name: 'every dod bucket, both signs', samples: [0, 10, 20, 8_222, 30, 65_566, 10, 524_298, 5, 600_000, 1, 2 ** 40, 1].reduce<Sample[]>((acc, d, i) => [...acc, { t: (acc.at(-1)?.t ?? 0) + d + (i === 0 ? 0 : 1), v: i }], []) },
  { name: 'dod bucket edges', samples: [1, 8193, 1, 65537, 1, 524289, 1, 524290].reduce<Sample[]>((acc, d) => [...acc, { t: (acc.at(-1)?.t ?? 100) + d, v: 1 }], []) },
  { name: 'negative timestamps', samples: series(10, -1_000_000, () => 1000, (i) => -i) },
  { name: 'random values', samples: series(120, 0, () => 1000, (i) => ((i * 2654435761) % 1000003) / 7) },
  { name: 'large first timestamp', samples: series(3, 2 ** 52, () => 1, () => 1) },
];

describe('XOR chunk', () => {
  it.each(cases)('$name round-trips', ({ samples }) => {
    const c = encode(samples);
    expect(c.numSamples()).toBe(samples.length);
    const got = decode(c.bytes());
    expect(got.length).toBe(samples.length);
    got.forEach((s, i) => {
      const want = samples[i]!;
      expect(s.t).toBe(want.t);
      expect(Object.is(s.v, want.stale ? NaN : want.v)).toBe(true);
      expect(s.stale ?? false).toBe(want.stale ?? false);
    });
  });

  it('writes the staleness marker and Go NaN bits exactly', () => {
    const stale = encode([{ t: 0, v: 1, stale: true }]).bytes();
    expect(Buffer.from(stale.subarray(3, 11)).toString('hex')).toBe('7ff0000000000002');
    const nan = encode([{ t: 0, v: NaN }]).bytes();
    expect(Buffer.from(nan.subarray(3, 11)).toString('hex')).toBe('7ff8000000000001');
  });

  it('keeps the trailing empty byte Prometheus leaves after a byte-aligned byte write', () => {
    // header 2 + varint(t=0) 1 + value 8, then the empty byte Go's bstream.writeByte appends.
    expect(Array.from(encode([{ t: 0, v: 1 }]).bytes())).toEqual([0, 1, 0, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0]);
    // A second sample with an unchanged value ends on a single-bit write: no empty byte.
    expect(encode([{ t: 0, v: 1 }, { t: 1, v: 1 }]).bytes().length).toBe(13);
  });

  it('resumes appending on a chunk read from bytes with identical output', () => {
    const samples = cases[2]!.samples;
    for (const cut of [1, 2, 3, 60]) {
      const resumed = XorChunk.fromBytes(encode(samples.slice(0, cut)).bytes().slice());
      const app = resumed.appender();
      for (const s of samples.slice(cut)) app.append(s.t, s.v);
      expect(Buffer.from(resumed.bytes()).equals(Buffer.from(encode(samples).bytes()))).toBe(true);
    }
  });

  it('lets an iterator walk a snapshot while appends continue', () => {
    const c = XorChunk.create();
    const app = c.appender();
    for (let i = 0; i < 10; i++) app.append(i * 1000, i);
    const it = c.iterator();
    for (let i = 10; i < 120; i++) app.append(i * 1000, i);
    let n = 0;
    while (it.next() === ValueType.Float) expect(it.atF()).toBe(n++);
    expect(n).toBe(10);
  });

  it('seeks forward and never backwards', () => {
    const c = encode(series(120, 0, () => 1000, (i) => i));
    const it = c.iterator();
    expect(it.seek(5_500)).toBe(ValueType.Float);
    expect(it.atT()).toBe(6_000);
    expect(it.seek(1_000)).toBe(ValueType.Float);
    expect(it.atT()).toBe(6_000);
    expect(it.next()).toBe(ValueType.Float);
    expect(it.atT()).toBe(7_000);
    expect(it.seek(119_001)).toBe(ValueType.None);
    expect(it.next()).toBe(ValueType.None);
  });

  it('reports truncated data as corruption with an offset', () => {
    const data = encode(series(50, 0, () => 1000, (i) => i * 1.1)).bytes();
    const it = new XorIterator();
    it.reset(data.subarray(0, 20));
    let n = 0;
    while (it.next() === ValueType.Float) n++;
    expect(n).toBeLessThan(50);
    expect(it.err()?.code).toBe('corruption');
    expect(it.err()?.message).toMatch(/corrupt XOR chunk at offset \d+/);
  });

  it('treats an empty chunk as no samples', () => {
    const c = XorChunk.create();
    expect(Array.from(c.bytes())).toEqual([0, 0]);
    expect(c.iterator().next()).toBe(ValueType.None);
  });
});
