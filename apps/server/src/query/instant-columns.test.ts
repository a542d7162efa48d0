import { Labels, Matcher, MatchType } from '@pyrometer/model';
import { Engine, type Value } from '@pyrometer/promql';
import { tempDir } from '@pyrometer/testkit';
import { Tsdb } from '@pyrometer/tsdb';
import { describe, expect, it } from 'vitest';
import { walkingOnly, workerView } from '../../test/worker-channel.js';

/** Instant selectors over a range, in the shapes the engine evaluates them: plain, offset, `@`, timestamp(), under functions and operators. */
const QUERIES = ['m', 'm offset 20s', 'm @ 1700001000.000', 'timestamp(m)', 'sum by (g) (m)', 'm > 0', '-m', 'm offset -1m'];

const T0 = 1_700_000_000_000;
/** The samples' interval, as scraped. */
const INTERVAL = 15_000;

/** A matrix as lines (label set, then every point's time and value with 0 and -0 and NaN spelled apart), sorted. */
function lines(v: Value): string[] {
  if (v.type !== 'matrix') throw new Error(`a ${v.type}`);
  const text = (f: number): string => (Object.is(f, -0) ? '-0' : String(f));
  return v.series.map((s) => `${s.metric.toString()} ${s.floats.map((p) => `${p.t}:${text(p.f)}`).join(' ')}`).sort();
}

describe('instant selectors over a range read from columns', () => {
  it('answer as a walk of each series does, with gaps beyond the lookback, staleness markers, deletions, out-of-order samples and chunk cuts', async () => {
    const db = await Tsdb.open(tempDir(), { compactionInterval: 0, outOfOrderWindow: 10 * 60_000 });
    const releases: (() => void)[] = [];
    try {
      const app = db.appender();
      // 400 rounds: head chunks are cut at 120 samples, so every series crosses chunks.
      for (let r = 0; r < 400; r++) {
        const t = T0 + r * INTERVAL;
        for (let i = 0; i < 8; i++) {
          const labels = Labels.from({ __name__: 'm', g: `g${i % 3}`, i: String(i) });
          // Series i samples every (i % 3 + 1)th round; 5 goes quiet for 40 rounds (10 min, past the lookback); 6 is constant.
          if (r % ((i % 3) + 1) !== 0 || (i === 5 && r % 120 >= 80)) continue;
          const stale = (i === 4 && r % 17 === 16) || (i === 6 && r % 50 === 49) || (i === 3 && r % 19 === 18) || (i === 7 && r % 23 === 22);
          const value = i === 6 ? 0 : i === 7 ? (r % 5 === 0 ? -0 : r % 7 === 0 ? Number.NaN : r) : Math.sin(r + i) * 10;
          app.append(0, labels, t + i * 100, stale ? Number.NaN : value, stale);
        }
      }
      await app.commit();
      const late = db.appender();
      late.append(0, Labels.from({ __name__: 'm', g: 'g1', i: '7' }), T0 + 395 * INTERVAL - 50, 42, false);
      await late.commit();
      await db.delete(T0 + 200 * INTERVAL, T0 + 210 * INTERVAL, [new Matcher(MatchType.Equal, 'i', '3')]);

      const engine = new Engine();
      const warm = workerView(() => db, releases);
      const selected = await (await warm.querier(T0, T0 + 400 * INTERVAL)).select([new Matcher(MatchType.Equal, '__name__', 'm')]);
      expect(selected.series.every((s) => s.readFloatsAndMarkers !== undefined)).toBe(true);
      let points = 0;
      // Steps under, at and over the 5 m lookback (over it the engine walks), and ranges starting before the data.
      for (const [start, end, step] of [
        [T0 - 60_000, T0 + 400 * INTERVAL, INTERVAL],
        // Steps 500 ms after each round: series 5's last sample before its gap is exactly a lookback before a step.
        [T0 + 500, T0 + 390 * INTERVAL, INTERVAL],
        [T0 + 7_000, T0 + 300 * INTERVAL, 60_000],
        [T0, T0 + 399 * INTERVAL, 300_000],
        [T0 + 1_234, T0 + 399 * INTERVAL, 600_000],
      ] as const) {
        for (const q of QUERIES) {
          const want = await engine.rangeQuery(walkingOnly(workerView(() => db, releases)), q, start, end, step).exec();
          const got = await engine.rangeQuery(warm, q, start, end, step).exec();
          expect(lines(got.value), `${q} from ${start} step ${step}`).toEqual(lines(want.value));
          expect(got.warnings).toEqual(want.warnings);
          if (got.value.type === 'matrix') for (const s of got.value.series) points += s.floats.length;
          for (const release of releases.splice(0)) release();
        }
      }
      expect(points).toBeGreaterThan(10_000);
    } finally {
      for (const release of releases.splice(0)) release();
      await db.close();
    }
  }, 120_000);
});
