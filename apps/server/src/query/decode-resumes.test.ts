import { Labels, Matcher, MatchType } from '@pyrometer/model';
import { Engine } from '@pyrometer/promql';
import { tempDir } from '@pyrometer/testkit';
import { Tsdb } from '@pyrometer/tsdb';
import { afterAll, describe, expect, it } from 'vitest';
import { canonical, workerView } from '../../test/worker-channel.js';

/** Rule-shaped queries: instant selectors (5m lookback), range functions over 1m–10m, aggregations, comparisons. */
const QUERIES = [
  'm',
  'sum by (g) (m)',
  'rate(c[1m])',
  'sum by (g) (rate(c[1m]))',
  'delta(c[5m]) == 0 and c > 0',
  'changes(m[5m])',
  'max_over_time(m[10m])',
  'count_over_time(m[10m])',
  'delta(c[10m]) > 1',
  'm * 100 > 50',
];

const STEP = 15_000;
const T0 = 1_700_000_000_000;

/** Value of series `i` at round `r`: counters that grow (and reset), gauges that repeat, wander and go NaN. */
function value(name: string, i: number, r: number): number {
  if (name === 'c') return r % 97 === 50 + i ? 0 : r * (i + 1) + (r * r) % 7;
  if ((r + i) % 23 === 0) return NaN;
  return (r + i) % 4 === 0 ? 0.5 : Math.sin(r / (i + 2)) * (i + 1);
}

const releases: (() => void)[] = [];
let db: Tsdb;
afterAll(async () => {
  for (const release of releases.splice(0)) release();
  await db.close();
});

describe('decode resume points (a worker reading the same head series round after round)', () => {
  it('answer rule queries exactly as a cold worker does, with appends, chunk cuts, staleness, deletions and series churn between rounds', async () => {
    db = await Tsdb.open(tempDir(), { compactionInterval: 0 });
    const engine = new Engine();
    const warm = workerView(() => db, releases);
    let compared = 0;
    // 300 rounds: head chunks are cut at 120 samples, so every series crosses chunks twice.
    for (let r = 0; r < 300; r++) {
      const t = T0 + r * STEP + (r % 3) * 7;
      const app = db.appender();
      for (let i = 0; i < 12; i++) {
        // Series churn: each series lives for a stretch of rounds, then stops (stale), then another takes over.
        const generation = Math.floor((r + 13 * i) / 90);
        const labels = (name: string) => Labels.from({ __name__: name, g: `g${i % 3}`, i: String(i), gen: String(generation) });
        const ends = (r + 13 * i) % 90 === 89;
        for (const name of ['m', 'c']) app.append(0, labels(name), t, ends ? Number.NaN : value(name, i, r), ends);
      }
      await app.commit();
      if (r % 111 === 110) await db.delete(t - 20 * STEP, t - 10 * STEP, [new Matcher(MatchType.Equal, 'i', '3')]);
      if (r < 20 || r % 4 !== 0) continue;
      const cold = workerView(() => db, releases);
      for (const q of QUERIES) {
        const want = await engine.instantQuery(cold, q, t).exec();
        const got = await engine.instantQuery(warm, q, t).exec();
        expect(canonical(got.value), `${q} at round ${r}`).toEqual(canonical(want.value));
        compared++;
      }
      for (const release of releases.splice(0)) release();
    }
    expect(compared).toBeGreaterThan(600);
  }, 120_000);
});
