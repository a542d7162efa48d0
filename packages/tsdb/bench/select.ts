import { Matcher, MatchType } from '@pyrometer/model';
import { ValueType } from '@pyrometer/storage';
import { reportBench } from '@pyrometer/testkit/bench';
import { Tsdb } from '../src/db/db.js';
import { flinkSeries, flinkValue, scratch, SUITE } from './util.js';

/** select + iterate over blocks and over the head: samples read per second. */
export async function benchSelect(seriesCount = 2_000, hours = 8): Promise<void> {
  const { dir, done } = scratch();
  const t0 = 1_700_006_400_000;
  const H = 3_600_000;
  const db = await Tsdb.open(dir, { compactionInterval: 0, retentionDuration: 0, now: () => t0 + (hours + 1) * H });
  const labels = flinkSeries(seriesCount);
  const refs = new Array<number>(seriesCount).fill(0);
  for (let k = 0; k < (hours * H) / 10_000; k++) {
    const app = db.appender();
    for (let i = 0; i < seriesCount; i++) refs[i] = app.append(refs[i]!, labels[i]!, t0 + k * 10_000, flinkValue(i, k));
    await app.commit();
  }
  await db.compact();
  const matcher = new Matcher(MatchType.Regexp, '__name__', 'flink_.*');
  for (const [what, mint, maxt] of [
    ['blocks', t0, t0 + 4 * H - 1],
    ['head', t0 + 6 * H, t0 + hours * H],
  ] as const) {
    let samples = 0;
    const start = performance.now();
    for (let rep = 0; rep < 3; rep++) {
      const q = await db.querier(mint, maxt);
      for (const s of (await q.select([matcher])).series) {
        const it = s.iterator();
        while (it.next() !== ValueType.None) samples++;
      }
      await q.close();
    }
    const secs = (performance.now() - start) / 1000;
    reportBench({ suite: SUITE, case: `select {__name__=~"flink_.*"} + iterate, ${seriesCount} series, ${what}`, unit: 'samples/s', ours: samples / secs, higherIsBetter: true, note: 'no upstream binary runs select+iterate without PromQL and HTTP in front' });
  }
  await db.close();
  done();
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSelect();
