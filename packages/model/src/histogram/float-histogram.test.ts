import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors.js';
import { exponentialBound, targetIndex } from './bounds.js';
import { CounterResetHint } from './counter-reset-hint.js';
import { FloatHistogram } from './float-histogram.js';
import { forEachBucket } from './spans.js';
import { ErrHistogramsIncompatibleSchema } from './validate.js';

/** A histogram with one positive span (and optionally one negative span). */
function fh(init: { schema?: number; zt?: number; z?: number; count?: number; sum?: number; offset?: number; buckets?: number[]; nOffset?: number; nBuckets?: number[]; hint?: CounterResetHint; custom?: number[] }): FloatHistogram {
  const buckets = init.buckets ?? [];
  const nBuckets = init.nBuckets ?? [];
  return new FloatHistogram({
    schema: init.schema ?? 0,
    zeroThreshold: init.zt ?? 0,
    zeroCount: init.z ?? 0,
    count: init.count ?? 0,
    sum: init.sum ?? 0,
    positiveSpans: buckets.length > 0 ? [{ offset: init.offset ?? 0, length: buckets.length }] : [],
    positiveBuckets: buckets,
    negativeSpans: nBuckets.length > 0 ? [{ offset: init.nOffset ?? 0, length: nBuckets.length }] : [],
    negativeBuckets: nBuckets,
    counterResetHint: init.hint ?? CounterResetHint.Unknown,
    customValues: init.custom,
  });
}

/** index → count of the non-empty buckets of one side. */
function dense(spans: FloatHistogram['positiveSpans'], buckets: number[]): Map<number, number> {
  const m = new Map<number, number>();
  forEachBucket(spans, buckets, (i, v) => {
    if (v !== 0) m.set(i, (m.get(i) ?? 0) + v);
  });
  return m;
}

describe('bucket bounds', () => {
  it.each([
    { index: 0, schema: 0, want: 1 },
    { index: 1, schema: 0, want: 2 },
    { index: -1, schema: 0, want: 0.5 },
    { index: 1, schema: 1, want: Math.SQRT2 },
    { index: 1, schema: -1, want: 4 },
    { index: 3, schema: 2, want: 2 ** 0.75 },
    { index: 1024, schema: 0, want: Number.MAX_VALUE },
    { index: 1025, schema: 0, want: Infinity },
    { index: 256, schema: -2, want: Number.MAX_VALUE },
  ])('bound of bucket $index in schema $schema', ({ index, schema, want }) => {
    expect(exponentialBound(index, schema)).toBeCloseTo(want, 12);
  });

  it('maps indices to coarser schemas as Prometheus does', () => {
    expect([1, 2, 3, 4, 0, -1, -2].map((i) => targetIndex(i, 2, 0))).toEqual([1, 1, 1, 1, 0, 0, 0]);
    expect([5, 8, 9].map((i) => targetIndex(i, 2, 1))).toEqual([3, 4, 5]);
  });
});

describe('FloatHistogram arithmetic', () => {
  it('adds histograms of different schemas in the coarser one', () => {
    const a = fh({ schema: 1, count: 6, sum: 10, buckets: [1, 2, 3], offset: 0 });
    const b = fh({ schema: 0, count: 2, sum: 3, buckets: [2], offset: 1 });
    const res = a.add(b);
    expect(res).toEqual({ counterResetCollision: false, nhcbBoundsReconciled: false });
    a.compact();
    expect(a.schema).toBe(0);
    expect([a.count, a.sum]).toEqual([8, 13]);
    // Schema 1 indices 0,1,2 land in schema 0 indices 0,1,1.
    expect(a.positiveSpans).toEqual([{ offset: 0, length: 2 }]);
    expect(a.positiveBuckets).toEqual([1, 7]);
  });

  it('reconciles zero buckets: buckets inside the wider threshold move into the zero count', () => {
    const a = fh({ zt: 1, z: 2, count: 5, buckets: [3], offset: 2 }); // bucket (2,4]
    const b = fh({ zt: 0.01, z: 1, count: 4, buckets: [2, 1], offset: 0 }); // (0.5,1] and (1,2]
    a.add(b);
    a.compact();
    expect(a.zeroThreshold).toBe(1);
    expect(a.zeroCount).toBe(2 + 1 + 2);
    expect(dense(a.positiveSpans, a.positiveBuckets)).toEqual(new Map([[1, 1], [2, 3]]));
  });

  it('subtracts and multiplies; a negative factor makes a gauge', () => {
    const a = fh({ count: 5, sum: 7, z: 1, buckets: [4], hint: CounterResetHint.NotCounterReset });
    const b = fh({ count: 2, sum: 3, buckets: [2] });
    a.sub(b);
    expect([a.count, a.sum, a.positiveBuckets[0], a.counterResetHint]).toEqual([3, 4, 2, CounterResetHint.Unknown]);
    a.mul(-2);
    expect([a.count, a.zeroCount, a.counterResetHint]).toEqual([-6, -2, CounterResetHint.Gauge]);
    a.div(0);
    expect([a.count, a.positiveBuckets]).toEqual([-Infinity, []]);
  });

  it('reports conflicting counter reset hints', () => {
    const a = fh({ hint: CounterResetHint.CounterReset });
    expect(a.add(fh({ hint: CounterResetHint.NotCounterReset })).counterResetCollision).toBe(true);
    expect(a.counterResetHint).toBe(CounterResetHint.Unknown);
    const g = fh({ hint: CounterResetHint.NotCounterReset });
    g.add(fh({ hint: CounterResetHint.Gauge }));
    expect(g.counterResetHint).toBe(CounterResetHint.Gauge);
  });

  it('refuses to mix custom and exponential buckets', () => {
    expect(() => fh({ schema: -53, custom: [1] }).add(fh({}))).toThrow(ErrHistogramsIncompatibleSchema);
  });

  it('adds custom-bucket histograms with different bounds on the bounds they share', () => {
    const a = fh({ schema: -53, custom: [1, 2, 3], buckets: [1, 1, 1, 1], count: 4 });
    const b = fh({ schema: -53, custom: [1, 3, 4], buckets: [2, 2, 2, 2], count: 8 });
    expect(a.add(b).nhcbBoundsReconciled).toBe(true);
    expect(a.customValues).toEqual([1, 3]);
    // a: (,1]:1 (1,2]→(1,3]:1 (2,3]:1 +Inf:1; b: (,1]:2 (1,3]:2 (3,4]→+Inf:2 +Inf:2.
    expect(a.positiveBuckets).toEqual([3, 4, 5]);
    expect(a.count).toBe(12);
  });
});

describe('compact and equality', () => {
  it('drops empty edges and joins spans no more than maxEmptyBuckets apart', () => {
    const h = new FloatHistogram({
      positiveSpans: [{ offset: -2, length: 4 }, { offset: 1, length: 3 }, { offset: 5, length: 1 }],
      positiveBuckets: [0, 1, 0, 0, 2, 0, 3, 4],
    });
    expect(h.copy().compact(0).positiveSpans).toEqual([{ offset: -1, length: 1 }, { offset: 3, length: 1 }, { offset: 1, length: 1 }, { offset: 5, length: 1 }]);
    expect(h.copy().compact(3).positiveSpans).toEqual([{ offset: -1, length: 7 }, { offset: 5, length: 1 }]);
    expect(h.copy().compact(3).positiveBuckets).toEqual([1, 0, 0, 0, 2, 0, 3, 4]);
  });

  it('compares data bit by bit, ignoring the layout of empty spans', () => {
    const a = new FloatHistogram({ count: 1, positiveSpans: [{ offset: 0, length: 1 }], positiveBuckets: [1] });
    const b = new FloatHistogram({ count: 1, positiveSpans: [{ offset: 0, length: 0 }, { offset: 0, length: 1 }], positiveBuckets: [1] });
    expect(a.equals(b)).toBe(true);
    b.sum = -0;
    expect(a.equals(b)).toBe(false);
  });

  it('prints the test notation and Go String()', () => {
    const h = fh({ schema: 1, count: 5, sum: 1e6, z: 1, zt: 0.001, offset: 1, buckets: [1, 0, 2], nBuckets: [1], hint: CounterResetHint.Gauge });
    expect(h.testExpression()).toBe('{{schema:1 count:5 sum:1e+06 z_bucket:1 z_bucket_w:0.001 counter_reset_hint:gauge offset:1 buckets:[1 0 2] n_buckets:[1]}}');
    expect(h.toString()).toBe('{count:5, sum:1e+06, [-1,-0.7071067811865475):1, [-0.001,0.001]:1, (1,1.414213562373095]:1, (2,2.82842712474619]:2}');
    expect(fh({ schema: -53, custom: [5, 10], buckets: [1, 2], count: 3 }).testExpression()).toBe('{{schema:-53 count:3 custom_values:[5 10] buckets:[1 2]}}');
  });
});

describe('counter reset detection', () => {
  it.each([
    { name: 'a bucket went down', prev: fh({ count: 3, buckets: [3] }), curr: fh({ count: 4, buckets: [2, 2] }), want: true },
    { name: 'every count went up', prev: fh({ count: 3, buckets: [3] }), curr: fh({ count: 5, buckets: [3, 2] }), want: false },
    { name: 'a populated bucket vanished', prev: fh({ count: 3, offset: 1, buckets: [3] }), curr: fh({ count: 5, buckets: [5] }), want: true },
    { name: 'finer schema', prev: fh({ schema: 0 }), curr: fh({ schema: 1 }), want: true },
    { name: 'coarser schema with more counts', prev: fh({ schema: 1, count: 2, buckets: [1, 1] }), curr: fh({ schema: 0, count: 3, buckets: [2, 1] }), want: false },
    { name: 'narrower zero bucket', prev: fh({ zt: 1 }), curr: fh({ zt: 0.5 }), want: true },
    { name: 'wider zero bucket holding the old buckets', prev: fh({ zt: 0.5, count: 2, buckets: [2] }), curr: fh({ zt: 1, count: 2, z: 2 }), want: false },
    { name: 'the hint says so', prev: fh({}), curr: fh({ hint: CounterResetHint.CounterReset }), want: true },
    { name: 'the hint says not', prev: fh({ count: 9 }), curr: fh({ hint: CounterResetHint.NotCounterReset }), want: false },
    { name: 'NHCB bounds changed and a shared stretch went down', prev: fh({ schema: -53, custom: [1, 2], count: 4, buckets: [2, 2] }), curr: fh({ schema: -53, custom: [2], count: 5, buckets: [3, 2] }), want: true },
  ])('$name', ({ prev, curr, want }) => {
    expect(curr.detectReset(prev)).toBe(want);
  });
});

describe('validation', () => {
  it.each([
    { name: 'spans and buckets disagree', h: new FloatHistogram({ positiveSpans: [{ offset: 0, length: 2 }], positiveBuckets: [1] }), msg: 'positive side: spans need 2 buckets, have 1 buckets' },
    { name: 'negative bucket', h: fh({ buckets: [-1] }), msg: 'positive side: bucket number 1 has observation count of -1' },
    { name: 'schema', h: fh({ schema: 9 }), msg: 'got schema 9' },
    { name: 'unsorted custom bounds', h: fh({ schema: -53, custom: [2, 1] }), msg: 'strictly increasing' },
    { name: 'too few custom bounds', h: fh({ schema: -53, custom: [1], buckets: [1, 1, 1] }), msg: 'insufficient to cover total span length of 3' },
  ])('rejects: $name', ({ h, msg }) => {
    expect(() => h.validate()).toThrow(ModelError);
    expect(() => h.validate()).toThrow(msg);
  });
});

describe('properties against a dense model', () => {
  const side = fc.record({ offset: fc.integer({ min: -5, max: 5 }), counts: fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 6 }) });
  const hist = fc.record({ schema: fc.integer({ min: 0, max: 3 }), pos: side, neg: side }).map(({ schema, pos, neg }) =>
    fh({ schema, offset: pos.offset, buckets: pos.counts, nOffset: neg.offset, nBuckets: neg.counts, count: [...pos.counts, ...neg.counts].reduce((a, b) => a + b, 0) }),
  );
  const reduced = (h: FloatHistogram, schema: number, positive: boolean): Map<number, number> => {
    const m = new Map<number, number>();
    for (const [i, v] of dense(positive ? h.positiveSpans : h.negativeSpans, positive ? h.positiveBuckets : h.negativeBuckets)) {
      const t = targetIndex(i, h.schema, schema);
      m.set(t, (m.get(t) ?? 0) + v);
    }
    return m;
  };

  it('add sums the buckets of both in the coarser schema', () => {
    fc.assert(
      fc.property(hist, hist, (a, b) => {
        const schema = Math.min(a.schema, b.schema);
        const want = reduced(a, schema, true);
        for (const [i, v] of reduced(b, schema, true)) want.set(i, (want.get(i) ?? 0) + v);
        const sum = a.copy();
        sum.add(b);
        sum.compact();
        expect(sum.schema).toBe(schema);
        expect(dense(sum.positiveSpans, sum.positiveBuckets)).toEqual(new Map([...want].sort((x, y) => x[0] - y[0])));
        // Compacted: no empty bucket, no two spans adjacent.
        expect(sum.positiveBuckets.every((v) => v !== 0)).toBe(true);
        expect(sum.positiveSpans.slice(1).every((s) => s.offset > 0)).toBe(true);
      }),
    );
  });

  it('adding a non-negative histogram is never a reset; taking it away again always is', () => {
    fc.assert(
      fc.property(hist, hist, (a, b) => {
        const grown = a.copy();
        grown.add(b.copyToSchema(Math.min(a.schema, b.schema)));
        expect(grown.detectReset(a)).toBe(false);
        const populated = [...b.positiveBuckets, ...b.negativeBuckets].some((v) => v > 0);
        expect(a.copyToSchema(grown.schema).detectReset(grown)).toBe(populated);
      }),
    );
  });

  it('reduceResolution keeps every count, in the coarser buckets', () => {
    fc.assert(
      fc.property(hist, fc.integer({ min: 1, max: 7 }), (h, steps) => {
        const target = h.schema - steps;
        const r = h.copy().reduceResolution(target);
        expect(r.schema).toBe(target);
        expect(dense(r.negativeSpans, r.negativeBuckets)).toEqual(new Map([...reduced(h, target, false)].sort((x, y) => x[0] - y[0])));
        expect(dense(r.positiveSpans, r.positiveBuckets)).toEqual(new Map([...reduced(h, target, true)].sort((x, y) => x[0] - y[0])));
      }),
    );
});
});
