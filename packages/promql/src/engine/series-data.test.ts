import { Labels, Matcher, MatchType } from '@pyrometer/model';
import { MemoryStorage } from '@pyrometer/storage';
import { describe, expect, it } from 'vitest';
import { Selection } from './series-data.js';

async function selectionOf(name: string, values: number[], uses = 1): Promise<Selection> {
  const storage = new MemoryStorage();
  const app = storage.appender();
  for (const [i, v] of values.entries()) {
    app.append(0, Labels.from({ __name__: name, i: '1' }), i * 1000, v);
    app.append(0, Labels.from({ __name__: name, i: '2' }), i * 1000, -v);
  }
  await app.commit();
  const q = await storage.querier(0, 1_000_000);
  return new Selection((await q.select([new Matcher(MatchType.Equal, '__name__', name)])).series, 0, 1_000_000, uses);
}

const loaded = (s: Selection, each?: () => void, from?: number, to?: number): number[][] => {
  const out: number[][] = [];
  s.forEachLoaded(
    {
      loaded: (ls) => {
        each?.();
        out.push([...ls.vs]);
      },
    },
    () => {},
    from,
    to,
  );
  return out;
};

describe('Selection (series loaded into columns shared by the thread)', () => {
  it('loads each series in turn, and the next load reuses the columns', async () => {
    const a = await selectionOf('a', [1, 2, 3]);
    const b = await selectionOf('b', [7, 8]);
    expect(loaded(a)).toEqual([[1, 2, 3], [-1, -2, -3]]);
    expect(loaded(b)).toEqual([[7, 8], [-7, -8]]);
  });

  it('decodes only the window the caller reads, unless several nodes load the selection (then all of it, once)', async () => {
    const once = await selectionOf('a', [1, 2, 3, 4, 5]);
    expect(loaded(once, undefined, 2000, 3000)).toEqual([[3, 4], [-3, -4]]);
    const shared = await selectionOf('a', [1, 2, 3, 4, 5], 2);
    expect(loaded(shared, undefined, 2000, 3000)).toEqual([[1, 2, 3, 4, 5], [-1, -2, -3, -4, -5]]);
    expect(loaded(shared, undefined, 0, 1000)).toEqual([[1, 2, 3, 4, 5], [-1, -2, -3, -4, -5]]);
  });

  it('a load started during another gets columns of its own and leaves the other’s series intact', async () => {
    const a = await selectionOf('a', [1, 2, 3]);
    const b = await selectionOf('b', [7, 8]);
    const inner: number[][][] = [];
    expect(loaded(a, () => inner.push(loaded(b)))).toEqual([[1, 2, 3], [-1, -2, -3]]);
    expect(inner).toEqual([[[7, 8], [-7, -8]], [[7, 8], [-7, -8]]]);
  });
});
