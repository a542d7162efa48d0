// Whole-data-directory interop with Debian's Prometheus 2.42: promtool reads a directory our TSDB
// wrote (blocks, WAL and chunks_head) sample for sample, and our TSDB reads directories Prometheus
// wrote (blocks from `promtool tsdb create-blocks-from openmetrics`, a WAL and chunks_head from a
// running server).
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort, peer, startProcess, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { Tsdb } from '../src/db/db.js';
import { dumpAll, keepOnlySeriesInWal, series } from './helpers.js';

const run = promisify(execFile);
const promtool = peer('promtool', 'prometheus');
const prometheus = peer('prometheus', 'prometheus');
const H = 3_600_000;

/** Parses `promtool tsdb dump` output ("<labels> <value> <timestamp>" per line) into our dump shape. */
async function promtoolDump(dir: string): Promise<Map<string, [number, number][]>> {
  const { stdout } = await run(promtool.path!, ['tsdb', 'dump', dir], { maxBuffer: 512 * 1024 * 1024 });
  const out = new Map<string, [number, number][]>();
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const close = line.lastIndexOf('} ');
    const [value, ts] = line.slice(close + 2).split(' ');
    const key = line.slice(0, close + 1);
    const list = out.get(key) ?? [];
    list.push([Number(ts), value === '+Inf' ? Infinity : value === '-Inf' ? -Infinity : Number(value)]);
    out.set(key, list);
  }
  for (const list of out.values()) list.sort((a, b) => a[0] - b[0]);
  return out;
}

/**
 * Runs Prometheus 2.42 scraping itself (global settings `globalYaml`) until `count_over_time(up[…])`
 * reaches `atLeast` samples, stops it, and returns its data directory and listen port.
 */
async function prometheusScrapingItself(globalYaml: string, countRange: string, atLeast: number, polls: number): Promise<{ data: string; port: number }> {
  const dir = tempDir();
  const port = await freePort();
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, `global:\n${globalYaml}scrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`);
  const data = join(dir, 'data');
  const proc = await startProcess(prometheus.path!, [`--config.file=${config}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`], {
    readyUrl: `http://127.0.0.1:${port}/-/ready`,
    stopWithTest: true,
  });
  for (let i = 0; i < polls; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=count_over_time(up[${countRange}])`);
    const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
    if (Number(body.data.result[0]?.value[1] ?? 0) >= atLeast) break;
    await sleep(250);
  }
  await proc.stop();
  return { data, port };
}

describe.skipIf(promtool.missingReason !== undefined)(`promtool reads our data directory ${promtool.missingReason ?? ''}`, () => {
  it('lists our blocks and dumps exactly the samples we wrote, from blocks and WAL', { timeout: 90_000 }, async () => {
    const dir = tempDir();
    const t0 = 1_700_000_000_000 - (1_700_000_000_000 % (2 * H));
    const db = await Tsdb.open(dir, { compactionInterval: 0, retentionDuration: 0, now: () => t0 + 8 * H });
    const values = [0.1, -3, NaN, 1e300, 42, -0.5];
    for (let m = 0; m < 7 * 60; m++) {
      const app = db.appender();
      for (let i = 0; i < 4; i++) app.append(0, series('flink_taskmanager_Status_JVM_CPU_Load', { tm: `tm-${i}`, job: 'flink' }), t0 + m * 60_000 + i, values[(m + i) % values.length]! * (i + 1));
      await app.commit();
    }
    await db.compact();
    expect(db.blockMetas()).toHaveLength(2);
    const ours = await dumpAll(db);
    await db.close();

    const list = await run(promtool.path!, ['tsdb', 'list', dir]);
    for (const m of (await Tsdb.open(dir, { compactionInterval: 0, walEnabled: false })).blockMetas()) expect(list.stdout).toContain(m.ulid);
    const analyze = await run(promtool.path!, ['tsdb', 'analyze', dir]);
    expect(analyze.stdout).toContain('Series: 4');
    const theirs = await promtoolDump(dir);
    expect(theirs).toEqual(ours);
    expect([...theirs.values()].reduce((n, l) => n + l.length, 0)).toBe(4 * 7 * 60);
  });

  it('dumps the full head chunks from our chunks_head/ (the WAL holding only series records)', { timeout: 90_000 }, async () => {
    const dir = tempDir();
    const t0 = 1_700_000_000_000 - (1_700_000_000_000 % (2 * H));
    const db = await Tsdb.open(dir, { compactionInterval: 0, now: () => t0 + 8 * H });
    for (let m = 0; m < 150; m++) {
      const app = db.appender();
      for (let i = 0; i < 3; i++) app.append(0, series('head_chunk', { i: String(i) }), t0 + m * 60_000, m * (i + 0.5));
      await app.commit();
    }
    const list = [...db.head.allSeries()].map((s) => ({ ref: s.ref, labels: s.labels }));
    await db.close();
    keepOnlySeriesInWal(dir, list);
    const reopened = await Tsdb.open(dir, { compactionInterval: 0, now: () => t0 + 8 * H });
    const ours = await dumpAll(reopened);
    await reopened.close();
    expect(ours.get('{__name__="head_chunk", i="1"}')).toEqual(Array.from({ length: 120 }, (_, m) => [t0 + m * 60_000, m * 1.5]));
    expect(await promtoolDump(dir)).toEqual(ours);
  });

  it('opens the blocks promtool creates from OpenMetrics and returns their samples', { timeout: 90_000 }, async () => {
    const dir = tempDir();
    const input = join(dir, 'input.om');
    let text = '# TYPE backfill gauge\n';
    const t0 = 1_700_000_000;
    for (let k = 0; k < 5 * 60; k++) for (const s of ['a', 'b']) text += `backfill{src="${s}"} ${k * (s === 'a' ? 1 : 0.5)} ${t0 + k * 60}\n`;
    writeFileSync(input, text + '# EOF\n');
    const data = join(dir, 'data');
    await run(promtool.path!, ['tsdb', 'create-blocks-from', 'openmetrics', input, data]);
    mkdirSync(join(data, 'wal'));
    const db = await Tsdb.open(data, { compactionInterval: 0, walEnabled: false });
    expect(db.blockMetas().length).toBeGreaterThan(1);
    const ours = await dumpAll(db);
    expect(ours.get('{__name__="backfill", src="a"}')).toHaveLength(300);
    expect(ours.get('{__name__="backfill", src="b"}')![10]).toEqual([(t0 + 600) * 1000, 5]);
    expect(ours).toEqual(await promtoolDump(data));
    await db.close();
  });
});

describe.skipIf(prometheus.missingReason !== undefined)(`Prometheus 2.42 opens our data directory ${prometheus.missingReason ?? ''}`, () => {
  it('serves every sample we wrote: blocks, WAL, chunks_head and out-of-order samples in the WBL', { timeout: 90_000 }, async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const now = Date.now();
    const t0 = now - 8 * H - (now % (2 * H));
    const db = await Tsdb.open(data, { compactionInterval: 0, retentionDuration: 0, outOfOrderWindow: 4 * H, now: () => now });
    for (let m = 0; m < 7 * 60; m++) {
      const app = db.appender();
      for (let i = 0; i < 3; i++) app.append(0, series('interop', { i: String(i) }), t0 + m * 60_000, m * (i + 1) + 0.25);
      await app.commit();
    }
    await db.compact();
    const app = db.appender();
    for (let k = 1; k <= 5; k++) app.append(0, series('interop', { i: '0' }), t0 + 6 * H + k * 1000, -k);
    await app.commit();
    expect(db.blockMetas().length).toBeGreaterThan(0);
    const ours = await dumpAll(db);
    await db.close();
    for (const sub of ['wal', 'wbl', 'chunks_head']) expect(readdirSync(join(data, sub)).length, sub).toBeGreaterThan(0);

    const port = await freePort();
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, 'storage:\n  tsdb:\n    out_of_order_time_window: 4h\n');
    await startProcess(prometheus.path!, [`--config.file=${config}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`], {
      readyUrl: `http://127.0.0.1:${port}/-/ready`,
      stopWithTest: true,
    });
    const query = new URLSearchParams({ query: 'interop[1d]', time: String((t0 + 8 * H) / 1000) });
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?${query.toString()}`);
    const body = (await res.json()) as { data: { result: { metric: Record<string, string>; values: [number, string][] }[] } };
    const theirs = new Map(body.data.result.map((r) => [`{__name__="interop", i="${r.metric['i']}"}`, r.values.map(([t, v]) => [Math.round(t * 1000), Number(v)])]));
    expect(theirs.get('{__name__="interop", i="0"}')).toHaveLength(7 * 60 + 5);
    expect(theirs).toEqual(ours);
  });
});

describe.skipIf(prometheus.missingReason !== undefined || promtool.missingReason !== undefined)(`we open a data directory Prometheus wrote ${prometheus.missingReason ?? ''}`, () => {
  it('replays the WAL of a Prometheus 2.42 server and returns the same samples promtool dumps', { timeout: 90_000 }, async () => {
    // Wait until the server has scraped itself a few times (its first scrape is jittered).
    const { data, port } = await prometheusScrapingItself('  scrape_interval: 1s\n', '1m', 3, 100);
    const theirs = await promtoolDump(data);
    const db = await Tsdb.open(data, { compactionInterval: 0, now: Date.now });
    expect(db.replay.samples).toBeGreaterThan(100);
    const ours = await dumpAll(db);
    expect(ours.get(`{__name__="up", instance="127.0.0.1:${port}", job="self"}`)!.length).toBeGreaterThanOrEqual(2);
    expect(ours).toEqual(theirs);
    await db.close();
  });

  it('reads the full head chunks a Prometheus 2.42 server wrote to chunks_head/ (its WAL then holding only series records)', { timeout: 90_000 }, async () => {
    // A full chunk is 120 samples; wait for more, so the first chunk of every series is closed.
    const { data, port } = await prometheusScrapingItself('  scrape_interval: 20ms\n  scrape_timeout: 20ms\n', '1h', 150, 200);
    expect(readdirSync(join(data, 'chunks_head')).length).toBeGreaterThan(0);
    const withWal = await Tsdb.open(data, { compactionInterval: 0, now: Date.now });
    const list = [...withWal.head.allSeries()].map((s) => ({ ref: s.ref, labels: s.labels }));
    await withWal.close();
    keepOnlySeriesInWal(data, list);
    const theirs = await promtoolDump(data);
    const db = await Tsdb.open(data, { compactionInterval: 0, now: Date.now });
    expect(db.replay.samples).toBe(0);
    const ours = await dumpAll(db);
    // Prometheus cuts a chunk near 120 samples, when its estimated end time is reached.
    expect(ours.get(`{__name__="up", instance="127.0.0.1:${port}", job="self"}`)!.length).toBeGreaterThanOrEqual(100);
    expect(ours).toEqual(theirs);
    await db.close();
  });
});
