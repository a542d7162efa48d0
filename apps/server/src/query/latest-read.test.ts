import { Labels, Matcher, MatchType } from '@pyrometer/model';
import { Engine } from '@pyrometer/promql';
import { tempDir } from '@pyrometer/testkit';
import { Tsdb } from '@pyrometer/tsdb';
import { afterAll, describe, expect, it } from 'vitest';
import { canonical, walkingOnly, workerView } from '../../test/worker-channel.js';

/** Instant selectors in every shape the engine reads a latest sample for: plain, offset, `@`, timestamp(), inside aggregations and comparisons. */
const QUERIES = ['m', 'm offset 20s', 'm @ 1700000600.000', 'timestamp(m)', 'sum by (g) (m)', 'm > 0', 'count(m)', 'rate(m[1m])'];

const STEP = 15_000;
const T0 = 1_700_000_000_000;

const releases: (() => void)[] = [];
let db: Tsdb;
afterAll(async () => {
  for (const release of releases.splice(0)) release();
  await db.close();
});

describe('latest-sample reads (instant selectors)', () => {
  it('answer as a walk of the lookback does, round after round, with appends, chunk cuts, staleness markers, deletions, out-of-order and duplicate samples', async () => {
    db = await Tsdb.open(tempDir(), { compactionInterval: 0, outOfOrderWindow: 10 * 60_000 });
    const engine = new Engine();
    const warm = workerView(() => db, releases);
    let compared = 0;
    let found = 0;
    // 300 rounds: head chunks are cut at 120 samples, so every series crosses chunks twice.
    for (let r = 0; r < 300; r++) {
      const t = T0 + r * STEP;
      const app = db.appender();
      for (let i = 0; i < 8; i++) {
        const labels = Labels.from({ __name__: 'm', g: `g${i % 3}`, i: String(i) });
        // Series i samples every (i % 3 + 1)th round, so the lookback sometimes holds one sample, sometimes several; 5 goes quiet for 25 rounds.
        if (r % ((i % 3) + 1) !== 0 || (i === 5 && r % 60 >= 35)) continue;
        const stale = i === 4 && r % 17 === 16;
        app.append(0, labels, t + i * 100, stale ? Number.NaN : Math.sin(r + i) * 10, stale);
      }
      await app.commit();
      // Out of order (an older sample arrives late) and a duplicate of an existing sample.
      if (r % 29 === 28) {
        const late = db.appender();
        late.append(0, Labels.from({ __name__: 'm', g: 'g1', i: '7' }), t - 2 * STEP - 50, 42, false);
        await late.commit().catch(() => undefined);
        const dup = db.appender();
        dup.append(0, Labels.from({ __name__: 'm', g: 'g0', i: '0' }), t, Math.sin(r) * 10, false);
        await dup.commit().catch(() => undefined);
      }
      if (r % 111 === 110) await db.delete(t - 3 * STEP, t + 2 * STEP, [new Matcher(MatchType.Equal, 'i', '3')]);
      if (r < 5) continue;
      const cold = walkingOnly(workerView(() => db, releases));
      // The round's time and times between samples; also one past the latest sample.
      for (const at of [t, t + 7_000, t - 20_001]) {
        for (const q of QUERIES) {
          const want = await engine.instantQuery(cold, q, at).exec();
          const got = await engine.instantQuery(warm, q, at).exec();
          expect(canonical(got.value), `${q} at round ${r} (+${at - t} ms)`).toEqual(canonical(want.value));
          expect(got.warnings).toEqual(want.warnings);
          if (got.value.type === 'vector') found += got.value.samples.length;
          compared++;
        }
      }
      for (const release of releases.splice(0)) release();
    }
    expect(compared).toBeGreaterThan(6000);
    expect(found).toBeGreaterThan(10_000);
  }, 180_000);
});
