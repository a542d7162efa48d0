import { Labels, Matcher, MatchType } from '@pyrometer/model';
import { ValueType, type Querier, type SampleIterator } from '@pyrometer/storage';
import { tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { HeadChunkFiles, PageCache } from '../format/index.js';
import { Head, type HeadOptions } from './head.js';
import { SAMPLES_PER_CHUNK } from './head-series.js';

const HOUR = 3_600_000;
const L = (rec: Record<string, string>): Labels => Labels.from(rec);
const eq = (n: string, v: string): Matcher => new Matcher(MatchType.Equal, n, v);

function newHead(options: Partial<HeadOptions> = {}): Head {
  const chunks = HeadChunkFiles.open(tempDir(), new PageCache(1 << 20)).files;
  return new Head({ chunkRange: 2 * HOUR, outOfOrderWindowMs: 0, maxFutureMs: HOUR, now: () => 10 * HOUR, log: undefined, chunks, ...options });
}

function drain(it: SampleIterator): [number, number][] {
  const out: [number, number][] = [];
  while (it.next() !== ValueType.None) out.push([it.atT(), it.atF()]);
  return out;
}

async function dump(q: Querier, ...m: Matcher[]): Promise<Record<string, [number, number][]>> {
  const set = await q.select(m.length > 0 ? m : [new Matcher(MatchType.Regexp, '__name__', '.+')], { sortSeries: true });
  return Object.fromEntries(set.series.map((s) => [s.labels.toString(), drain(s.iterator())]));
}

describe('Head append validation', () => {
  const up = L({ __name__: 'up' });
  it.each([
    { name: 'out of order', t: 1000, v: 1, code: 'out_of_order_sample', appended: false },
    { name: 'duplicate with other value', t: 2000, v: 9, code: 'duplicate_sample_for_timestamp', appended: false },
    { name: 'exact duplicate ignored', t: 2000, v: 1, code: undefined, appended: false },
    { name: 'far future', t: 12 * HOUR, v: 1, code: 'out_of_bounds', appended: false },
    { name: 'older than half a chunk range behind the head', t: -2 * HOUR, v: 1, code: 'out_of_bounds', appended: false },
    { name: 'in order', t: 3000, v: 5, code: undefined, appended: true },
  ])('$name', async ({ t, v, code, appended }) => {
    const head = newHead();
    const a = head.appender();
    a.append(0, up, 2000, 1);
    await a.commit();
    const b = head.appender();
    if (code === undefined) b.append(0, up, t, v);
    else expect(() => b.append(0, up, t, v)).toThrow(expect.objectContaining({ code }));
    await b.commit();
    const want: [number, number][] = [[2000, 1]];
    if (appended) want.push([t, v]);
    expect(await dump(head.querier(-Infinity, Infinity))).toEqual({ '{__name__="up"}': want });
  });

  it('tells repeats from duplicates at the newest timestamp by the newest sample (committed or in this batch), staleness markers included', async () => {
    const head = newHead();
    const s = L({ __name__: 'r' });
    const a = head.appender();
    a.append(0, s, 1000, 0.1);
    a.append(0, s, 2000, 0, true);
    expect(() => a.append(0, s, 2000, 5)).toThrow(expect.objectContaining({ code: 'duplicate_sample_for_timestamp' }));
    a.append(0, s, 2000, 0, true);
    await a.commit();
    const b = head.appender();
    b.append(0, s, 2000, 0, true);
    expect(() => b.append(0, s, 2000, 0)).toThrow(expect.objectContaining({ code: 'duplicate_sample_for_timestamp' }));
    b.append(0, s, 3000, -0.5);
    b.append(0, s, 3000, -0.5);
    expect(() => b.append(0, s, 3000, 0.5)).toThrow(expect.objectContaining({ code: 'duplicate_sample_for_timestamp' }));
    await b.commit();
    const c = head.appender();
    c.append(0, s, 3000, -0.5);
    expect(() => c.append(0, s, 3000, 0, true)).toThrow(expect.objectContaining({ code: 'duplicate_sample_for_timestamp' }));
    await c.commit();
    expect((await dump(head.querier(0, Infinity)))['{__name__="r"}']?.map(([t]) => t)).toEqual([1000, 2000, 3000]);
  });

  it('accepts out-of-order samples inside the window, merges them into reads and rejects older ones', async () => {
    const head = newHead({ outOfOrderWindowMs: 10_000 });
    const s = L({ __name__: 'o' });
    const a = head.appender();
    a.append(0, s, 20_000, 1);
    a.append(0, s, 30_000, 3);
    await a.commit();
    const b = head.appender();
    b.append(0, s, 25_000, 2);
    expect(() => b.append(0, s, 19_999, 0)).toThrow(expect.objectContaining({ code: 'too_old_sample' }));
    expect(() => b.append(0, s, 20_000, 7)).toThrow(expect.objectContaining({ code: 'duplicate_sample_for_timestamp' }));
    b.append(0, s, 20_000, 1);
    await b.commit();
    expect(await dump(head.querier(0, Infinity))).toEqual({ '{__name__="o"}': [[20_000, 1], [25_000, 2], [30_000, 3]] });
    expect(await dump(head.querier(21_000, 29_000))).toEqual({ '{__name__="o"}': [[25_000, 2]] });
  });

  it('rejects out-of-bounds samples of a new series older than the persisted range', () => {
    const head = newHead();
    head.truncate(HOUR);
    expect(() => head.appender().append(0, L({ __name__: 'x' }), HOUR - 1, 1)).toThrow(expect.objectContaining({ code: 'out_of_bounds' }));
  });

  it('shows nothing of a batch before commit, all of it after, nothing after rollback', async () => {
    const head = newHead();
    const a = head.appender();
    for (let i = 0; i < 10; i++) a.append(0, L({ __name__: 'm', i: String(i) }), 1000, i);
    const before = head.querier(0, 5000);
    expect(await dump(before)).toEqual({});
    expect((await before.labelNames()).values).toEqual([]);
    const r = head.appender();
    r.append(0, L({ __name__: 'rolled' }), 1000, 1);
    await r.rollback();
    await a.commit();
    const after = await dump(head.querier(0, 5000));
    expect(Object.keys(after)).toHaveLength(10);
    expect((await head.querier(0, 5000).labelValues('__name__')).values).toEqual(['m']);
  });
});

describe('Head chunks and queries', () => {
  it('cuts chunks at 120 samples and at block-range boundaries and reads them back within inclusive bounds', async () => {
    const head = newHead();
    const s = L({ __name__: 'c' });
    const n = 400;
    const a = head.appender();
    let ref = 0;
    for (let i = 0; i < n; i++) ref = a.append(ref, s, i * 60_000, i * 1.5);
    await a.commit();
    const series = head.seriesByRef(ref)!;
    series.closeOpen(head.options.chunks);
    expect(series.closedChunks).toBeGreaterThanOrEqual(Math.ceil(n / SAMPLES_PER_CHUNK));
    for (let i = 0; i < series.closedChunks; i++) {
      expect(Math.floor(series.chunkMinT(i) / (2 * HOUR))).toBe(Math.floor(series.chunkMaxT(i) / (2 * HOUR)));
    }
    const got = (await dump(head.querier(60_000 * 100, 60_000 * 300)))['{__name__="c"}']!;
    expect(got).toHaveLength(201);
    expect(got[0]).toEqual([60_000 * 100, 150]);
    expect(got[200]).toEqual([60_000 * 300, 450]);
    const [one] = (await head.querier(0, Infinity).select([eq('__name__', 'c')])).series;
    const it = one!.iterator();
    expect(it.seek(60_000 * 250 + 1)).toBe(ValueType.Float);
    expect(it.atT()).toBe(60_000 * 251);
  });

  it('hands out series that a later commit does not change (isolation)', async () => {
    const head = newHead();
    const s = L({ __name__: 'iso' });
    const a = head.appender();
    a.append(0, s, 1000, 1);
    await a.commit();
    const [series] = (await head.querier(0, 10_000).select([eq('__name__', 'iso')])).series;
    const b = head.appender();
    b.append(0, s, 2000, 2);
    await b.commit();
    expect(drain(series!.iterator())).toEqual([[1000, 1]]);
    expect(await dump(head.querier(0, 10_000))).toEqual({ '{__name__="iso"}': [[1000, 1], [2000, 2]] });
  });

  it('keeps staleness markers and NaN apart', async () => {
    const head = newHead();
    const a = head.appender();
    a.append(0, L({ __name__: 's' }), 1, NaN);
    a.append(0, L({ __name__: 's' }), 2, 0, true);
    await a.commit();
    const [s] = (await head.querier(0, 10).select([eq('__name__', 's')])).series;
    const it = s!.iterator();
    it.next();
    expect([it.atF(), it.atStale()]).toEqual([NaN, false]);
    it.next();
    expect(it.atStale()).toBe(true);
  });

  const data = [
    { __name__: 'http', job: 'a', code: '200' },
    { __name__: 'http', job: 'a', code: '500' },
    { __name__: 'http', job: 'b', code: '200' },
    { __name__: 'cpu', job: 'b' },
  ];
  it.each([
    { name: 'equality', m: [eq('job', 'a')], want: 2 },
    { name: 'intersection', m: [eq('__name__', 'http'), eq('code', '200')], want: 2 },
    { name: 'not equal includes absent', m: [new Matcher(MatchType.NotEqual, 'code', '200')], want: 2 },
    { name: 'regex set', m: [new Matcher(MatchType.Regexp, 'code', '200|500')], want: 3 },
    { name: 'regex', m: [new Matcher(MatchType.Regexp, 'code', '5.*')], want: 1 },
    { name: 'negative regex', m: [eq('__name__', 'http'), new Matcher(MatchType.NotRegexp, 'job', 'a|c')], want: 1 },
    { name: 'empty value means absent', m: [eq('code', '')], want: 1 },
    { name: 'non-empty regex', m: [new Matcher(MatchType.Regexp, 'code', '.+')], want: 3 },
    { name: 'no such value', m: [eq('job', 'z')], want: 0 },
  ])('postings for matchers: $name', async ({ m, want }) => {
    const head = newHead();
    const a = head.appender();
    for (const d of data) a.append(0, L(d), 100, 1);
    await a.commit();
    const set = await head.querier(0, 200).select(m);
    expect(set.series).toHaveLength(want);
    for (const s of set.series) for (const x of m) expect(x.matchesLabels(s.labels)).toBe(true);
  });

  it('truncation drops old chunks and empty series and their postings', async () => {
    const head = newHead();
    const a = head.appender();
    a.append(0, L({ __name__: 'old' }), 1000, 1);
    a.append(0, L({ __name__: 'new' }), 1000, 1);
    a.append(0, L({ __name__: 'new' }), 3 * HOUR, 2);
    await a.commit();
    head.truncate(2 * HOUR);
    expect(head.numSeries).toBe(1);
    expect((await head.querier(-Infinity, Infinity).labelValues('__name__')).values).toEqual(['new']);
    expect(await dump(head.querier(-Infinity, Infinity))).toEqual({ '{__name__="new"}': [[3 * HOUR, 2]] });
    expect(head.minT).toBe(3 * HOUR);
  });
});
