import { Labels, Matcher, MatchType } from '@pyrometer/model';
import { describe, expect, it } from 'vitest';
import { ValueType, type SampleIterator } from './iterator.js';
import { MemoryStorage } from './memory/memory-storage.js';
import { mergeQueriers, mergeQueryables } from './merge-querier.js';

async function storeOf(samples: [string, number, number][]): Promise<MemoryStorage> {
  const db = new MemoryStorage();
  const app = db.appender();
  for (const [name, t, v] of samples) app.append(0, Labels.from({ __name__: name }), t, v);
  await app.commit();
  return db;
}

function drain(it: SampleIterator): [number, number][] {
  const out: [number, number][] = [];
  while (it.next() !== ValueType.None) out.push([it.atT(), it.atF()]);
  return out;
}

const any = new Matcher(MatchType.Regexp, '__name__', '.+');

describe('mergeQueriers', () => {
  it('merges equal series by timestamp, the first source winning on ties', async () => {
    const a = await storeOf([['x', 1, 1], ['x', 3, 3], ['y', 1, 1]]);
    const b = await storeOf([['x', 2, 20], ['x', 3, 30], ['x', 4, 40], ['z', 5, 5]]);
    const q = mergeQueriers(await a.querier(0, 10), await b.querier(0, 10));
    const set = await q.select([any], { sortSeries: true });
    expect(set.series.map((s) => s.labels.metricName)).toEqual(['x', 'y', 'z']);
    expect(drain(set.series[0]!.iterator())).toEqual([[1, 1], [2, 20], [3, 3], [4, 40]]);
    await q.close();
  });

  it.each([
    { name: 'seek into the middle', t: 3, want: [3, 4] },
    { name: 'seek before the start', t: -5, want: [1, 2, 3, 4] },
    { name: 'seek past the end', t: 9, want: [] },
  ])('merged iterator $name', async ({ t, want }) => {
    const a = await storeOf([['x', 1, 1], ['x', 3, 3]]);
    const b = await storeOf([['x', 2, 2], ['x', 4, 4]]);
    const [series] = (await mergeQueriers(await a.querier(0, 10), await b.querier(0, 10)).select([any])).series;
    const it = series!.iterator();
    const got: number[] = [];
    if (it.seek(t) !== ValueType.None) {
      got.push(it.atT());
      while (it.next() !== ValueType.None) got.push(it.atT());
    }
    expect(got).toEqual(want);
  });

  it('unions label names and values and spans both bounds', async () => {
    const a = await storeOf([['x', 1, 1]]);
    const b = await storeOf([['y', 5, 1]]);
    const q = await mergeQueryables(a, b).querier(0, 10);
    expect((await q.labelValues('__name__')).values).toEqual(['x', 'y']);
    expect((await q.labelNames()).values).toEqual(['__name__']);
    const narrow = mergeQueriers(await a.querier(0, 3), await b.querier(4, 10));
    expect([narrow.mint, narrow.maxt]).toEqual([0, 10]);
  });
});
