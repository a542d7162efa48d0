import { reportBench } from '@pyrometer/testkit/bench';
import { Tsdb } from '../src/db/db.js';
import { flinkSeries, flinkValue, scratch, SUITE } from './util.js';

/** Appends scrapes of `series` existing series (refs cached, as a scrape loop does) with the WAL on. */
export async function benchAppend(seriesCount = 10_000, scrapes = 200): Promise<number> {
  const { dir, done } = scratch();
  const t0 = 1_700_000_000_000;
  const db = await Tsdb.open(dir, { compactionInterval: 0, now: () => t0 + 10 * 3_600_000 });
  const labels = flinkSeries(seriesCount);
  const refs = new Array<number>(seriesCount).fill(0);
  const scrape = async (k: number): Promise<void> => {
    const app = db.appender();
    for (let i = 0; i < seriesCount; i++) refs[i] = app.append(refs[i]!, labels[i]!, t0 + k * 10_000, flinkValue(i, k));
    await app.commit();
  };
  await scrape(0);
  // CPU time of this process (user + system), so other load on the shared machine does not count.
  const start = process.cpuUsage();
  for (let k = 1; k <= scrapes; k++) await scrape(k);
  const used = process.cpuUsage(start);
  const secs = (used.user + used.system) / 1e6;
  await db.close();
  done();
  const rate = (seriesCount * scrapes) / secs;
  reportBench({
    suite: SUITE,
    case: `append ${seriesCount} existing series × ${scrapes} commits, WAL on`,
    unit: 'samples/CPU-s',
    ours: rate,
    higherIsBetter: true,
    note: 'goal ≥ 1M/s on one core; no upstream binary appends without a scrape or remote-write decode in front',
  });
  return rate;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAppend();
