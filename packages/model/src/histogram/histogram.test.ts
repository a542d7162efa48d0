import { describe, expect, it } from 'vitest';
import { CounterResetHint } from './counter-reset-hint.js';
import { Histogram } from './histogram.js';

const h = (): Histogram =>
  new Histogram({
    schema: 1,
    count: 9,
    sum: 12.5,
    zeroThreshold: 0.001,
    zeroCount: 2,
    counterResetHint: CounterResetHint.NotCounterReset,
    positiveSpans: [{ offset: 0, length: 2 }, { offset: 1, length: 2 }],
    positiveBuckets: [1, -1, 3, -2], // absolute 1, 0, 3, 1
    negativeSpans: [{ offset: 0, length: 1 }],
    negativeBuckets: [2],
  });

describe('Histogram (integer, delta-encoded buckets)', () => {
  it('converts to a float histogram with absolute counts', () => {
    const f = h().toFloat();
    expect(f.positiveBuckets).toEqual([1, 0, 3, 1]);
    expect(f.negativeBuckets).toEqual([2]);
    expect([f.count, f.sum, f.zeroCount, f.zeroThreshold, f.counterResetHint]).toEqual([9, 12.5, 2, 0.001, CounterResetHint.NotCounterReset]);
  });

  it('compacts on absolute counts and keeps the delta encoding', () => {
    const c = h().compact(0);
    expect(c.positiveSpans).toEqual([{ offset: 0, length: 1 }, { offset: 2, length: 2 }]);
    expect(c.positiveBuckets).toEqual([1, 2, -2]);
  });

  it('reduces resolution', () => {
    const r = h().reduceResolution(0);
    // Schema 1 indices 0,1,3,4 land in schema 0 indices 0,1,2,2.
    expect(r.toFloat().positiveBuckets).toEqual([1, 0, 4]);
    expect(r.schema).toBe(0);
  });

  it('validates the count against the buckets', () => {
    expect(() => h().validate()).not.toThrow();
    const bad = h();
    bad.count = 10;
    expect(() => bad.validate()).toThrow('9 observations found in buckets, but the Count field is 10');
    bad.sum = NaN; // NaN observations count but sit in no bucket
    expect(() => bad.validate()).not.toThrow();
    const negative = h();
    negative.positiveBuckets = [1, -2, 3, -2];
    expect(() => negative.validate()).toThrow('positive side: bucket number 2 has observation count of -1');
  });

  it('compares exactly', () => {
    expect(h().equals(h())).toBe(true);
    const other = h();
    other.zeroCount = 3;
    expect(h().equals(other)).toBe(false);
  });
});
