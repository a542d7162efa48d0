import { ValueType } from '@pyrometer/storage';
import { describe, expect, it } from 'vitest';
import { XorChunk } from './xor-chunk.js';
import { RESUME_POINT_LENGTH } from './xor-decoder.js';
import { XorIterator } from './xor-iterator.js';

/** Times and value bits of what an iterator walks. */
function walk(it: XorIterator): [number, number, boolean][] {
  const out: [number, number, boolean][] = [];
  while (it.next() === ValueType.Float) out.push([it.atT(), it.atF(), it.atStale()]);
  expect(it.err()).toBeUndefined();
  return out;
}

/** Samples that use every encoding branch: steps of every delta-of-delta width (a 2^32 ms gap too), repeated, slightly and wholly changed values, NaN, staleness markers. */
function samples(n: number): { t: number; v: number; stale: boolean }[] {
  const out: { t: number; v: number; stale: boolean }[] = [];
  let t = 1_700_000_000_000;
  for (let i = 0; i < n; i++) {
    out.push({ t, v: i % 11 === 0 ? NaN : i % 5 === 0 ? 42 : i % 3 === 0 ? i * 1.000001 : Math.sin(i) * 1e6, stale: i % 17 === 16 });
    t += i === 60 ? 2 ** 32 : [15_000, 15_001, 14_999, 20_000, 8_000, 215_000, 15_000, 3][i % 8]!;
  }
  return out;
}

describe('resuming an XOR decode', () => {
  it('decodes from a recorded point the same samples as a whole decode, also after the chunk grew', () => {
    const chunk = XorChunk.create();
    const app = chunk.appender();
    const whole = new XorIterator();
    const resumed = new XorIterator();
    const point = new Float64Array(RESUME_POINT_LENGTH);
    for (const [n, s] of samples(120).entries()) {
      app.append(s.t, s.v, s.stale);
      // A copy, as a reader receives it: the chunk grows in place.
      const bytes = chunk.bytes().slice();
      whole.reset(bytes);
      const all = walk(whole);
      expect(all).toHaveLength(n + 1);
      for (const before of [all[0]![0], all[Math.floor(n / 2)]![0], all[n]![0], all[n]![0] + 1]) {
        // The point recorded last round (one sample fewer) resumes this round's decode.
        const usable = point[0]! >= 1 && point[2]! < before;
        const skipped = usable ? point[0]! : 0;
        resumed.resetFrom(bytes, point, usable ? 0 : -1, before, 0);
        const got = walk(resumed);
        expect(got).toEqual(all.slice(skipped));
        // Whatever was left out lies before the read's start.
        for (const [t] of all.slice(0, skipped)) expect(t).toBeLessThan(before);
      }
    }
  });

  it('records no point when no sample is before the read, and ignores a point past the data', () => {
    const chunk = XorChunk.create();
    const app = chunk.appender();
    for (let n = 0; n < 10; n++) app.append(1000 * n, n, false);
    const point = new Float64Array(RESUME_POINT_LENGTH);
    const it = new XorIterator();
    it.resetFrom(chunk.bytes(), point, -1, 0, 0);
    expect(point[0]).toBe(0);
    expect(walk(it)).toHaveLength(10);
    it.resetFrom(chunk.bytes(), point, -1, 5000, 0);
    expect(point[0]).toBe(5);
    expect(point[2]).toBe(4000);
    const beyond = Float64Array.of(5, 1e6, 4000, 1000, 0, 0, 0, 0);
    it.resetFrom(chunk.bytes(), beyond, 0, 5000, -1);
    expect(walk(it)).toHaveLength(10);
  });
});
