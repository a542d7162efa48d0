import { describe, expect, it } from 'vitest';
import { SlidingExtreme } from './sliding-extreme.js';

/** Upstream's max/min_over_time on one window, written as its loop: the oracle. */
function scanned(vs: readonly number[], lo: number, hi: number, max: boolean): number {
  let kept = vs[lo]!;
  for (let i = lo; i < hi; i++) {
    const f = vs[i]!;
    if ((max ? f > kept : f < kept) || Number.isNaN(kept)) kept = f;
  }
  return kept;
}

/** A small deterministic generator (so a failure reproduces). */
function generator(seed: number): () => number {
  let x = seed;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32;
  };
}

const SPECIALS = [NaN, 0, -0, Infinity, -Infinity, 1, 1];

/** A value as text that tells -0 from 0. */
const show = (f: number): string => (Object.is(f, -0) ? '-0' : String(f));

describe('SlidingExtreme', () => {
  it('gives the scanning loop’s value, bit for bit, on windows moving forward over NaN, ±0, ±Inf and ties', () => {
    const random = generator(7);
    const sliding = new SlidingExtreme();
    let windows = 0;
    for (let round = 0; round < 300; round++) {
      const n = 1 + Math.floor(random() * 60);
      const vs = Array.from({ length: n }, () => (random() < 0.4 ? SPECIALS[Math.floor(random() * SPECIALS.length)]! : Math.floor(random() * 5) - 2));
      for (const max of [true, false]) {
        sliding.reset(vs, max);
        let lo = 0;
        let hi = 0;
        while (hi < n) {
          hi = Math.min(n, hi + 1 + Math.floor(random() * 3));
          lo = Math.min(hi - 1, lo + Math.floor(random() * 3));
          const got = sliding.extreme(lo, hi);
          const want = scanned(vs, lo, hi, max);
          if (!Object.is(got, want)) throw new Error(`${max ? 'max' : 'min'} of [${vs.slice(lo, hi).map(show).join(', ')}] (${lo}..${hi} of [${vs.map(show).join(', ')}]): ${show(got)}, want ${show(want)}`);
          windows++;
        }
      }
    }
    expect(windows).toBeGreaterThan(1000);
  });

  it('keeps the first of equal extremes (-0 before 0 stays -0) and answers NaN only for an all-NaN window', () => {
    const sliding = new SlidingExtreme();
    sliding.reset([-0, 0, NaN, NaN], true);
    expect(Object.is(sliding.extreme(0, 2), -0)).toBe(true);
    expect(sliding.extreme(1, 3)).toBe(0);
    expect(sliding.extreme(2, 4)).toBeNaN();
    sliding.reset([NaN, 3, NaN, 2], false);
    expect(sliding.extreme(0, 1)).toBeNaN();
    expect(sliding.extreme(0, 3)).toBe(3);
    expect(sliding.extreme(2, 4)).toBe(2);
  });
});
