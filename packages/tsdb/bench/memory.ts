import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { reportBench } from '@pyrometer/testkit/bench';
import { Tsdb } from '../src/db/db.js';
import { flinkSeries, flinkValue, scratch, SUITE } from './util.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function settle(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().rss;
}

/**
 * Head memory per active series: RSS growth after creating `n` Flink-shaped series and appending
 * `samples` scrapes to each (WAL on), divided by n. The label sets are counted (the head keeps
 * them), as Prometheus's figure counts its labels.
 */
export async function benchHeadMemory(n: number, samples = 30, baseline?: { name: string; value: number }): Promise<number> {
  const { dir, done } = scratch();
  const t0 = 1_700_000_000_000;
  const before = settle();
  let labels = flinkSeries(n);
  const db = await Tsdb.open(dir, { compactionInterval: 0, now: () => t0 + 10 * 3_600_000 });
  const refs = new Array<number>(n).fill(0);
  for (let k = 0; k < samples; k++) {
    const app = db.appender();
    for (let i = 0; i < n; i++) refs[i] = app.append(refs[i]!, labels[i]!, t0 + k * 10_000, flinkValue(i, k));
    await app.commit();
  }
  labels = [];
  const after = settle();
  const perSeries = (after - before) / n / 1024;
  reportBench({
    suite: SUITE,
    case: `head memory, ${n} active series × ${samples} samples`,
    unit: 'KiB/series',
    ours: perSeries,
    ...(baseline === undefined ? {} : { baseline }),
    higherIsBetter: false,
    note: 'RSS growth; goal ≤ 2 KiB (Prometheus 2.42 ~3.4 KiB)',
  });
  await db.close();
  done();
  return perSeries;
}

// Run as a script (a fresh process per size, so RSS readings are not skewed by earlier work):
// memory.ts <series> [<baseline name> <baseline KiB/series>].
if (import.meta.url === `file://${process.argv[1]}`) {
  const [n, name, value] = process.argv.slice(2);
  await benchHeadMemory(Number(n ?? 100_000), 30, name !== undefined && value !== undefined ? { name, value: Number(value) } : undefined);
}
