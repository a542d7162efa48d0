import { CounterResetHint, FloatHistogram, Histogram, Labels, Matcher, MatchType } from '@pyrometer/model';
import { describe, expect, it } from 'vitest';
import { StorageError } from '../errors.js';
import { ValueType, type SampleIterator } from '../iterator.js';
import type { Querier } from '../querier.js';
import { MemoryStorage } from './memory-storage.js';

const L = (rec: Record<string, string>): Labels => Labels.from(rec);
const eq = (name: string, value: string): Matcher => new Matcher(MatchType.Equal, name, value);

function drain(it: SampleIterator): [number, number, boolean][] {
  const out: [number, number, boolean][] = [];
  while (it.next() !== ValueType.None) out.push([it.atT(), it.atF(), it.atStale()]);
  return out;
}

async function samplesOf(q: Querier, ...matchers: Matcher[]): Promise<Record<string, [number, number, boolean][]>> {
  const set = await q.select(matchers, { sortSeries: true });
  return Object.fromEntries(set.series.map((s) => [s.labels.toString(), drain(s.iterator())]));
}

async function store(samples: [Record<string, string>, number, number][], options = {}): Promise<MemoryStorage> {
  const db = new MemoryStorage(options);
  const app = db.appender();
  for (const [labels, t, v] of samples) app.append(0, L(labels), t, v);
  await app.commit();
  return db;
}

describe('MemoryStorage append validation', () => {
  const up = { __name__: 'up' };
  it.each([
    { name: 'out of order', t: 5, v: 1, code: 'out_of_order_sample' },
    { name: 'duplicate timestamp with a different value', t: 10, v: 2, code: 'duplicate_sample_for_timestamp' },
    { name: 'exact repeat is ignored', t: 10, v: 1, code: undefined },
    { name: 'newer sample', t: 11, v: 1, code: undefined },
  ])('$name', async ({ t, v, code }) => {
    const db = await store([[up, 10, 1]]);
    const app = db.appender();
    if (code === undefined) expect(() => app.append(0, L(up), t, v)).not.toThrow();
    else expect(() => app.append(0, L(up), t, v)).toThrow(expect.objectContaining({ code }));
    await app.commit();
    const q = await db.querier(0, 100);
    const expected: [number, number, boolean][] = [[10, 1, false]];
    if (t === 11) expected.push([11, 1, false]);
    expect(await samplesOf(q, eq('__name__', 'up'))).toEqual({ '{__name__="up"}': expected });
  });

  it('rejects samples out of order within one batch and keeps the rest of the batch', async () => {
    const db = new MemoryStorage();
    const app = db.appender();
    const ref = app.append(0, L(up), 20, 1);
    expect(() => app.append(ref, L(up), 10, 2)).toThrow(StorageError);
    expect(() => app.append(ref, L(up), 20, 3)).toThrow(expect.objectContaining({ code: 'duplicate_sample_for_timestamp' }));
    app.append(ref, Labels.EMPTY, 30, 4);
    await app.commit();
    expect(await samplesOf(await db.querier(0, 100), eq('__name__', 'up'))).toEqual({ '{__name__="up"}': [[20, 1, false], [30, 4, false]] });
  });

  it('rejects an empty label set and a fractional timestamp with clear errors', () => {
    const app = new MemoryStorage().appender();
    expect(() => app.append(0, Labels.EMPTY, 1, 1)).toThrow(/empty label set/);
    expect(() => app.append(0, L(up), 1.5, 1)).toThrow(/timestamp 1.5 is not an integer/);
  });

  it('accepts out-of-order samples inside the window and rejects older ones as too old', async () => {
    const db = await store([[up, 1000, 1], [{ __name__: 'other' }, 5000, 1]], { outOfOrderWindowMs: 4500 });
    const app = db.appender();
    app.append(0, L(up), 600, 2);
    expect(() => app.append(0, L(up), 400, 3)).toThrow(expect.objectContaining({ code: 'too_old_sample' }));
    expect(() => app.append(0, L(up), 1000, 9)).toThrow(expect.objectContaining({ code: 'duplicate_sample_for_timestamp' }));
    await app.commit();
    expect(await samplesOf(await db.querier(0, 10_000), eq('__name__', 'up'))).toEqual({ '{__name__="up"}': [[600, 2, false], [1000, 1, false]] });
  });

  it('keeps staleness markers', async () => {
    const db = new MemoryStorage();
    const app = db.appender();
    app.append(0, L(up), 1, 1);
    app.append(0, L(up), 2, 0, true);
    await app.commit();
    const got = (await samplesOf(await db.querier(0, 10), eq('__name__', 'up')))['{__name__="up"}']!;
    expect(got.map(([t, , s]) => [t, s])).toEqual([[1, false], [2, true]]);
    expect(got[1]![1]).toBeNaN();
  });

  it('makes nothing of a rolled-back batch visible and nothing of a pending batch before commit', async () => {
    const db = new MemoryStorage();
    const a = db.appender();
    a.append(0, L(up), 1, 1);
    await a.rollback();
    const b = db.appender();
    b.append(0, L({ __name__: 'b' }), 1, 1);
    const q = await db.querier(0, 10);
    expect(await samplesOf(q, new Matcher(MatchType.Regexp, '__name__', '.+'))).toEqual({});
    expect((await q.labelNames()).values).toEqual([]);
    await b.commit();
    await expect(b.commit()).rejects.toThrow(/already committed/);
    expect(Object.keys(await samplesOf(await db.querier(0, 10), new Matcher(MatchType.Regexp, '__name__', '.+')))).toEqual(['{__name__="b"}']);
  });
});

describe('MemoryStorage queries', () => {
  const data: [Record<string, string>, number, number][] = [
    [{ __name__: 'http', job: 'b', code: '200' }, 10, 1],
    [{ __name__: 'http', job: 'a', code: '500' }, 20, 2],
    [{ __name__: 'http', job: 'a', code: '200' }, 30, 3],
    [{ __name__: 'cpu', job: 'a' }, 40, 4],
    [{ __name__: 'cpu', job: 'a' }, 50, 5],
  ];

  it.each([
    { name: 'inclusive at both ends', mint: 20, maxt: 30, want: ['{__name__="http", code="200", job="a"}', '{__name__="http", code="500", job="a"}'] },
    { name: 'single millisecond', mint: 10, maxt: 10, want: ['{__name__="http", code="200", job="b"}'] },
    { name: 'nothing in range', mint: 31, maxt: 39, want: [] },
  ])('select bounds: $name', async ({ mint, maxt, want }) => {
    const db = await store(data);
    expect(Object.keys(await samplesOf(await db.querier(mint, maxt), eq('__name__', 'http')))).toEqual(want);
  });

  it('returns series sorted by labels and only samples inside the bounds', async () => {
    const db = await store(data);
    const got = await samplesOf(await db.querier(45, 100), eq('job', 'a'));
    expect(got).toEqual({ '{__name__="cpu", job="a"}': [[50, 5, false]] });
    const all = await (await db.querier(0, 100)).select([new Matcher(MatchType.NotEqual, 'job', 'x')], { sortSeries: true });
    const names = all.series.map((s) => s.labels);
    expect([...names].sort(Labels.compare)).toEqual(names);
    expect(names).toHaveLength(4);
  });

  it.each([
    { name: 'regex', m: [new Matcher(MatchType.Regexp, 'code', '2..')], want: ['a', 'b'] },
    { name: 'negative regex also matches absent labels', m: [new Matcher(MatchType.NotRegexp, 'code', '2..')], want: ['a'] },
    { name: 'no matchers', m: [], want: ['a', 'b'] },
    { name: 'empty matcher selects series without the label', m: [eq('code', '')], want: ['a'] },
  ])('labelValues with matchers: $name', async ({ m, want }) => {
    const db = await store(data);
    expect((await (await db.querier(0, 100)).labelValues('job', m)).values).toEqual(want);
  });

  it('labelNames respects matchers, bounds and limit', async () => {
    const db = await store(data);
    const q = await db.querier(0, 100);
    expect((await q.labelNames()).values).toEqual(['__name__', 'code', 'job']);
    expect((await q.labelNames([eq('__name__', 'cpu')])).values).toEqual(['__name__', 'job']);
    expect((await q.labelNames([], { limit: 1 })).values).toEqual(['__name__']);
    expect((await (await db.querier(35, 100)).labelNames()).values).toEqual(['__name__', 'job']);
    await q.close();
    await expect(q.labelNames()).rejects.toThrow(/closed/);
  });

  it('selects through the label index exactly what matching every series would select', async () => {
    const db = await store(data);
    const all = [...new Map(data.map(([labels]) => [Labels.from(labels).key(), Labels.from(labels)])).values()];
    const matcherSets: Matcher[][] = [
      [eq('__name__', 'http'), new Matcher(MatchType.NotEqual, 'code', '500')],
      [new Matcher(MatchType.Regexp, '__name__', 'http|cpu'), eq('code', '')],
      [new Matcher(MatchType.Regexp, 'job', 'a|b'), new Matcher(MatchType.NotRegexp, 'code', '5.*')],
      [new Matcher(MatchType.Regexp, 'code', '.*'), eq('job', 'a')],
      [new Matcher(MatchType.NotRegexp, 'job', 'a'), new Matcher(MatchType.Regexp, 'code', '.+')],
      [eq('job', 'absent-value')],
      [new Matcher(MatchType.NotEqual, 'nolabel', 'x')],
    ];
    for (const matchers of matcherSets) {
      const want = all.filter((labels) => matchers.every((m) => m.matchesLabels(labels))).sort(Labels.compare);
      const got = await (await db.querier(0, 100)).select(matchers, { sortSeries: true });
      expect(got.series.map((s) => s.labels.toString()), matchers.join(', ')).toEqual(want.map((l) => l.toString()));
    }
  });

  it('keeps what a querier handed out when an older sample is inserted later', async () => {
    const db = await store([[{ __name__: 'up' }, 10, 1], [{ __name__: 'up' }, 30, 3]], { outOfOrderWindowMs: 100 });
    const [series] = (await (await db.querier(0, 100)).select([eq('__name__', 'up')])).series;
    const app = db.appender();
    app.append(0, L({ __name__: 'up' }), 20, 2);
    await app.commit();
    expect(drain(series!.iterator())).toEqual([[10, 1, false], [30, 3, false]]);
    expect(await samplesOf(await db.querier(0, 100), eq('__name__', 'up'))).toEqual({ '{__name__="up"}': [[10, 1, false], [20, 2, false], [30, 3, false]] });
  });

  it('iterators seek forward only and are unaffected by later appends', async () => {
    const db = await store(data);
    const [series] = (await (await db.querier(0, 100)).select([eq('__name__', 'cpu')])).series;
    const app = db.appender();
    app.append(0, L({ __name__: 'cpu', job: 'a' }), 60, 6);
    await app.commit();
    const it = series!.iterator();
    expect(it.seek(45)).toBe(ValueType.Float);
    expect(it.atT()).toBe(50);
    expect(it.seek(10)).toBe(ValueType.Float);
    expect(it.atT()).toBe(50);
    expect(it.next()).toBe(ValueType.None);
  });

  it('stores native histograms beside floats, validated, and hands out copies', async () => {
    const db = new MemoryStorage();
    const h = new Histogram({ count: 3, sum: 5, positiveSpans: [{ offset: 0, length: 2 }], positiveBuckets: [1, 1] });
    const fh = new FloatHistogram({ count: 1.5, sum: 2, zeroCount: 1.5 });
    const app = db.appender();
    const ref = app.append(0, L({ __name__: 'h' }), 10, 7);
    app.appendHistogram(ref, L({ __name__: 'h' }), 20, h);
    app.appendHistogram(ref, L({ __name__: 'h' }), 30, fh);
    app.append(ref, L({ __name__: 'h' }), 40, 0, true);
    expect(() => app.appendHistogram(ref, L({ __name__: 'h' }), 50, new Histogram({ count: 9, positiveSpans: [{ offset: 0, length: 1 }], positiveBuckets: [1] }))).toThrow(
      'invalid histogram: 1 observations found in buckets, but the Count field is 9',
    );
    await app.commit();
    // An exact repeat is ignored; another histogram at a taken timestamp is a duplicate.
    const again = db.appender();
    again.appendHistogram(ref, L({ __name__: 'h' }), 20, h.copy());
    expect(() => again.appendHistogram(ref, L({ __name__: 'h' }), 20, fh)).toThrow(StorageError);
    expect(() => again.append(ref, L({ __name__: 'h' }), 30, 1)).toThrow(StorageError);
    await again.commit();
    const [series] = (await (await db.querier(0, 100)).select([eq('__name__', 'h')])).series;
    const it = series!.iterator();
    expect(it.next()).toBe(ValueType.Float);
    expect(it.next()).toBe(ValueType.Histogram);
    const got = it.atHistogram();
    expect(got.equals(h)).toBe(true);
    got.count = 100; // the caller owns what it got
    expect(it.atFloatHistogram().positiveBuckets).toEqual([1, 2]);
    expect(it.next()).toBe(ValueType.FloatHistogram);
    expect(it.atFloatHistogram().equals(fh)).toBe(true);
    expect(() => it.atHistogram()).toThrow(StorageError);
    expect(it.next()).toBe(ValueType.Float);
    expect(it.atStale()).toBe(true);
    expect(it.seek(0)).toBe(ValueType.Float);
    expect(it.next()).toBe(ValueType.None);
    const second = (await (await db.querier(0, 100)).select([eq('__name__', 'h')])).series[0]!.iterator();
    expect(second.seek(20)).toBe(ValueType.Histogram);
    expect(second.atHistogram().count).toBe(3);
  });

  it('reads histograms back with the counter reset hints the Prometheus TSDB reports', async () => {
    const db = new MemoryStorage();
    const one = (count: number, init: Partial<ConstructorParameters<typeof FloatHistogram>[0]> = {}): FloatHistogram =>
      new FloatHistogram({ count, sum: count, positiveSpans: [{ offset: 0, length: 1 }], positiveBuckets: [count], ...init });
    const app = db.appender();
    const written = [
      one(1), // first: unknown
      one(2), // continues: not_reset
      one(1), // fewer observations: a reset, unknown
      one(3, { counterResetHint: CounterResetHint.CounterReset }), // hinted reset: unknown
      one(4, { schema: 1 }), // another schema starts anew: unknown
      one(5, { schema: 1 }),
      one(1, { counterResetHint: CounterResetHint.Gauge }), // a gauge stays a gauge
      one(2), // after a gauge: unknown
    ];
    written.forEach((h, i) => app.appendHistogram(0, L({ __name__: 'h' }), i * 10, h));
    await app.commit();
    const it = (await (await db.querier(0, 100)).select([eq('__name__', 'h')])).series[0]!.iterator();
    const hints: CounterResetHint[] = [];
    while (it.next() !== ValueType.None) hints.push(it.atFloatHistogram().counterResetHint);
    const { Unknown, NotCounterReset, Gauge } = CounterResetHint;
    expect(hints).toEqual([Unknown, NotCounterReset, Unknown, Unknown, Unknown, NotCounterReset, Gauge, Unknown]);
    expect(it.seek(10)).toBe(ValueType.None);
    const again = (await (await db.querier(10, 10)).select([eq('__name__', 'h')])).series[0]!.iterator();
    expect(again.next()).toBe(ValueType.FloatHistogram);
    expect(again.atFloatHistogram().counterResetHint).toBe(NotCounterReset); // the predecessor counts even outside the query's range
  });
});
