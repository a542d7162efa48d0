import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportBench } from '@pyrometer/testkit/bench';
import { Tsdb } from '../src/db/db.js';
import { flinkSeries, flinkValue, scratch, SUITE } from './util.js';

/** Starts Prometheus on `dataDir` and returns the WAL replay duration it logs, in seconds. */
function prometheusReplaySeconds(prometheus: string, dataDir: string, port: number): Promise<number | undefined> {
  const config = join(dataDir, '..', 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 1h\n');
  return new Promise((resolve) => {
    const child = spawn(prometheus, [`--config.file=${config}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.stderr.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /msg="WAL replay completed".*?total_replay_duration=([\d.]+)(ms|s|m)/.exec(log);
      if (m !== null) {
        child.kill('SIGTERM');
        const v = Number(m[1]);
        resolve(m[2] === 'ms' ? v / 1000 : m[2] === 'm' ? v * 60 : v);
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
}

/**
 * WAL replay time for `seriesCount` series × `samples` samples written by our TSDB, and the time
 * Prometheus 2.42 needs to replay the very same WAL directory (it is in Prometheus's format).
 */
export async function benchReplay(prometheus: string | undefined, port: number, seriesCount: number, samples = 120): Promise<void> {
  const { dir, done } = scratch();
  const data = join(dir, 'data');
  const t0 = 1_700_000_000_000;
  const opts = { compactionInterval: 0, now: () => t0 + 10 * 3_600_000 };
  const labels = flinkSeries(seriesCount);
  const db = await Tsdb.open(data, opts);
  const refs = new Array<number>(seriesCount).fill(0);
  for (let k = 0; k < samples; k++) {
    const app = db.appender();
    for (let i = 0; i < seriesCount; i++) refs[i] = app.append(refs[i]!, labels[i]!, t0 + k * 10_000, flinkValue(i, k));
    await app.commit();
  }
  await db.close();
  const start = performance.now();
  const again = await Tsdb.open(data, opts);
  const ours = (performance.now() - start) / 1000;
  await again.close();
  const theirs = prometheus === undefined ? undefined : await prometheusReplaySeconds(prometheus, data, port);
  reportBench({
    suite: SUITE,
    case: `WAL replay, ${seriesCount} series × ${samples} samples`,
    unit: 's',
    ours,
    ...(theirs === undefined ? {} : { baseline: { name: 'prometheus 2.42', value: theirs } }),
    higherIsBetter: false,
    note: 'wall clock, same WAL directory replayed by both; Prometheus figure from its own log',
  });
  done();
}

if (import.meta.url === `file://${process.argv[1]}`) await benchReplay('/usr/bin/prometheus', 19393, Number(process.argv[2] ?? 100_000));
