import { Labels, Matcher, MatchType } from '@pyrometer/model';
import { ValueType } from '@pyrometer/storage';
import { tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { HeadChunkFiles, PageCache } from '../format/index.js';
import { Head } from '../head/head.js';
import { ReplayBatch } from './replay-batch.js';

const HOUR = 3_600_000;

describe('ReplayBatch', () => {
  it('applies samples grouped by series, keeping each series in WAL order across flushes', async () => {
    const chunks = HeadChunkFiles.open(tempDir(), new PageCache(1 << 20)).files;
    const head = new Head({ chunkRange: 2 * HOUR, outOfOrderWindowMs: 0, maxFutureMs: HOUR, now: () => 10 * HOUR, log: undefined, chunks });
    const series = [1, 2, 3].map((i) => head.getOrCreate(Labels.from({ __name__: 'm', i: String(i) })));
    // Capacity 4 with 3 series: the batch flushes while records are still arriving, and grows.
    const batch = new ReplayBatch(head, 4);
    for (let k = 0; k < 10; k++) for (const s of series) batch.add(s.ref, k * 1000, s.ref * 100 + k, k === 9 && s.ref === 2);
    // A repeated timestamp is refused by the head, as it would be in record order.
    batch.add(series[0]!.ref, 5000, 0, false);
    batch.flush();
    expect(batch.applied).toBe(30);
    const set = await head.querier(0, HOUR).select([new Matcher(MatchType.Equal, '__name__', 'm')], { sortSeries: true });
    for (const [n, s] of set.series.entries()) {
      const it = s.iterator();
      const got: [number, number, boolean][] = [];
      while (it.next() !== ValueType.None) got.push([it.atT(), it.atStale() ? 0 : it.atF(), it.atStale()]);
      const ref = n + 1;
      expect(got).toEqual(Array.from({ length: 10 }, (_, k) => [k * 1000, k === 9 && ref === 2 ? 0 : ref * 100 + k, k === 9 && ref === 2]));
    }
  });
});
