import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportBench } from '@pyrometer/testkit/bench';
import { Tsdb } from '../src/db/db.js';
import { EncodeBuffer, encodeSamples, encodeSeries, SegmentWriter, type WalSample } from '../src/format/index.js';
import { flinkSeries, flinkValue, scratch, SUITE } from './util.js';

const GO_DURATION_UNITS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, µs: 1e-6, us: 1e-6, ns: 1e-9 };

/** Seconds in a Go duration string as Go prints it, e.g. `2m3.5s`, `812.3ms`. */
function goDurationSeconds(text: string): number {
  let seconds = 0;
  for (const [, value, unit] of text.matchAll(/([\d.]+)(h|ms|m|s|µs|us|ns)/g)) seconds += Number(value) * GO_DURATION_UNITS[unit!]!;
  return seconds;
}

/** Starts Prometheus on `dataDir` and returns the WAL replay duration it logs, in seconds. */
function prometheusReplaySeconds(prometheus: string, dataDir: string, port: number): Promise<number | undefined> {
  const config = join(dataDir, '..', 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 1h\n');
  return new Promise((resolve) => {
    const child = spawn(prometheus, [`--config.file=${config}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 900_000);
    child.stderr.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /msg="WAL replay completed".*?total_replay_duration=(\S+)\s/.exec(log);
      if (m !== null) {
        child.kill('SIGTERM');
        resolve(goDurationSeconds(m[1]!));
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
}

/**
 * Writes into `walDir` the WAL our TSDB writes for `seriesCount` Flink-shaped series scraped
 * `samples` times, one commit per scrape (the first carries the series record): the same records,
 * produced straight through the WAL encoder and writer, which takes a fraction of the time the
 * head's append path would need at a million series.
 */
function writeFlinkWal(walDir: string, seriesCount: number, samples: number, t0: number): void {
  const labels = flinkSeries(seriesCount);
  const writer = SegmentWriter.open(walDir);
  const series = encodeSeries(labels.map((l, i) => ({ ref: i + 1, labels: l })));
  const batch: WalSample[] = labels.map((_, i) => ({ ref: i + 1, t: 0, v: 0 }));
  const buf = new EncodeBuffer();
  for (let k = 0; k < samples; k++) {
    for (let i = 0; i < seriesCount; i++) {
      const s = batch[i]!;
      s.t = t0 + k * 10_000;
      s.v = flinkValue(i, k);
    }
    writer.log(k === 0 ? [series, encodeSamples(batch, buf)] : [encodeSamples(batch, buf)]);
  }
  writer.close();
}

/**
 * WAL replay time for `seriesCount` series × `samples` samples in the format our TSDB writes, and
 * the time Prometheus 2.42 needs to replay the very same WAL directory (it is in Prometheus's format).
 */
export async function benchReplay(prometheus: string | undefined, port: number, seriesCount: number, samples = 120): Promise<void> {
  const { dir, done } = scratch();
  const data = join(dir, 'data');
  const t0 = 1_700_000_000_000;
  writeFlinkWal(join(data, 'wal'), seriesCount, samples, t0);
  const start = performance.now();
  const db = await Tsdb.open(data, { compactionInterval: 0, now: () => t0 + 10 * 3_600_000 });
  const ours = (performance.now() - start) / 1000;
  const replayed = db.replay.samples;
  await db.close();
  if (replayed !== seriesCount * samples) throw new Error(`WAL replay bench: replayed ${replayed} samples, wrote ${seriesCount * samples}`);
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
