// Interop proof for the WAL format: we decode the WAL that Debian's Prometheus 2.42 writes,
// including its snappy-compressed records (--storage.tsdb.wal-compression is on by default
// since 2.20, so real data directories have them; we keep the default on purpose).
import { freePort, peer, startProcess, tempDir } from '@pyrometer/testkit';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Labels } from '@pyrometer/model';
import { decodeSamples, decodeSeries, encodeSamples, encodeSeries, listSegments, readWal, recordType, RecordType, SegmentWriter, WAL_PAGE_SIZE, type WalSample, type WalSeries } from '../src/format/index.js';

const prometheus = peer('prometheus', 'prometheus');

/** How many fragments of a segment carry the snappy flag (walks fragment headers only). */
function snappyFragments(segment: Buffer): number {
  let n = 0;
  let pos = 0;
  while (pos < segment.length) {
    const type = segment[pos]!;
    if ((type & 7) === 0) {
      pos = (Math.floor(pos / WAL_PAGE_SIZE) + 1) * WAL_PAGE_SIZE;
      continue;
    }
    if ((type & 0x08) !== 0) n++;
    pos += 7 + segment.readUInt16BE(pos + 1);
  }
  return n;
}

describe.skipIf(prometheus.missingReason !== undefined)(`we read the WAL Prometheus writes ${prometheus.missingReason ?? ''}`, () => {
  it('decodes the series and samples of a Prometheus scraping itself', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const port = await freePort();
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`);
    const dataDir = join(dir, 'data');
    const proc = await startProcess(prometheus.path!, [`--config.file=${config}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=127.0.0.1:${port}`], {
      readyUrl: `http://127.0.0.1:${port}/-/ready`,
      stopWithTest: true,
    });
    // Prometheus's discovery throttles target updates to every 5 s, so the first scrape comes
    // late; wait (bounded) until its own query API counts at least four `up` samples.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=count_over_time(up[1m])`);
      const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
      if (Number(body.data.result[0]?.value[1] ?? 0) >= 4) break;
      if (Date.now() > deadline) throw new Error(`Prometheus did not scrape itself 4 times in 30 s\n${proc.output()}`);
      await sleep(500);
    }
    await proc.stop();

    const walDir = join(dataDir, 'wal');
    const segments = listSegments(walDir);
    expect(segments.length, proc.output()).toBeGreaterThan(0);
    expect(segments.reduce((n, s) => n + snappyFragments(readFileSync(s.path)), 0)).toBeGreaterThan(0);

    const series = new Map<number, WalSeries>();
    const samples = new Map<number, { t: number; v: number }[]>();
    const types = new Set<number>();
    const result = readWal(walDir, (rec) => {
      const type = recordType(rec);
      types.add(type);
      if (type === RecordType.Series) for (const s of decodeSeries(rec)) series.set(s.ref, s);
      if (type === RecordType.Samples) {
        decodeSamples(rec, (ref, t, v) => {
          const list = samples.get(ref) ?? [];
          list.push({ t, v });
          samples.set(ref, list);
        });
      }
    });
    expect(result.corruption, proc.output()).toBeUndefined();
    expect(types.has(RecordType.Series) && types.has(RecordType.Samples)).toBe(true);

    const up = [...series.values()].find((s) => s.labels.get('__name__') === 'up');
    expect(up?.labels.toRecord()).toEqual({ __name__: 'up', instance: `127.0.0.1:${port}`, job: 'self' });
    const upSamples = samples.get(up!.ref) ?? [];
    expect(upSamples.length).toBeGreaterThanOrEqual(4);
    expect(upSamples.every((s) => s.v === 1)).toBe(true);
    // Scraped every second: consecutive timestamps are about 1000 ms apart.
    for (let i = 1; i < upSamples.length; i++) expect(Math.abs(upSamples[i]!.t - upSamples[i - 1]!.t - 1000)).toBeLessThan(200);
    const now = Date.now();
    expect(upSamples[0]!.t).toBeGreaterThan(now - 60_000);
    // Every sample belongs to a series defined earlier in the WAL.
    for (const ref of samples.keys()) expect(series.has(ref)).toBe(true);
    expect(series.size).toBeGreaterThan(100);
  });
});

describe.skipIf(prometheus.missingReason !== undefined)(`Prometheus reads the WAL we write ${prometheus.missingReason ?? ''}`, () => {
  it('replays our series and samples, including a staleness marker and a record spanning pages', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    const end = Math.floor(Date.now() / 1000) * 1000;
    // Snappy on, as Prometheus writes by default; the long label value (pseudo-random words)
    // compresses to about a third, so the series record still spans pages.
    const w = SegmentWriter.open(join(dataDir, 'wal'), { compress: true });
    let x = 2463534242;
    const next = (): number => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) % 36);
    const words = Array.from({ length: 1000 }, () => Array.from({ length: 8 }, () => next().toString(36)).join(''));
    const long = Array.from({ length: 40_000 }, () => words[next() % 1000]).join('');
    w.log([
      encodeSeries([
        { ref: 1, labels: Labels.from({ __name__: 'pyrometer_interop', series: 'a' }) },
        { ref: 2, labels: Labels.from({ __name__: 'pyrometer_interop', series: 'b', long }) },
      ]),
    ]);
    const samples: WalSample[] = [];
    for (let i = 0; i < 10; i++) samples.push({ ref: 1, t: end - (10 - i) * 10_000, v: i * 1.5 }, { ref: 2, t: end - (10 - i) * 10_000, v: -i });
    w.log([encodeSamples(samples)]);
    w.log([encodeSamples([{ ref: 1, t: end, v: 0, stale: true }, { ref: 2, t: end, v: 42 }])]);
    w.close();
    const segment = readFileSync(join(dataDir, 'wal', '00000000'));
    expect(segment[0]).toBe(0x08 | 2); // a compressed first fragment
    expect(snappyFragments(segment)).toBeGreaterThan(2);

    const port = await freePort();
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, 'global:\n  scrape_interval: 1h\n');
    await startProcess(prometheus.path!, [`--config.file=${config}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=127.0.0.1:${port}`], {
      readyUrl: `http://127.0.0.1:${port}/-/ready`,
      stopWithTest: true,
    });
    const query = encodeURIComponent('pyrometer_interop[5m]');
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${query}&time=${end / 1000}`);
    const body = (await res.json()) as { data: { result: { metric: Record<string, string>; values: [number, string][] }[] } };
    const goString = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
    const bySeries = new Map(body.data.result.map((r) => [r.metric['series'], r]));
    // The staleness marker is not a sample to PromQL: range selection drops it, so series a ends at
    // i = 9; had its bits been an ordinary NaN, a "NaN" sample would appear. b starts with -0.
    expect(bySeries.get('a')?.values).toEqual(samples.filter((s) => s.ref === 1).map((s) => [s.t / 1000, goString(s.v)]));
    expect(bySeries.get('b')?.metric['long']).toBe(long);
    expect(bySeries.get('b')?.values).toEqual([...samples.filter((s) => s.ref === 2), { t: end, v: 42 }].map((s) => [s.t / 1000, goString(s.v)]));
  });
});
