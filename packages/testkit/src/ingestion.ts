import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// The scrape-ingestion benchmark's shared parts: synthetic /metrics targets, and a measurement of
// a scraping process (ours or Prometheus) read from /proc exactly the same way for both.

/** Kernel clock ticks per second, the unit of utime/stime in /proc/<pid>/stat on Linux. */
const CLK_TCK = 100;

/** The running synthetic targets: their `host:port` addresses and a way to close them. */
export interface SyntheticTargets {
  addresses: string[];
  close(): void;
}

/**
 * Serves `count` scrape targets on 127.0.0.1, each with `series` counter series in text format
 * 0.0.4. Two pre-rendered bodies per target alternate, so values change between scrapes while
 * serving costs next to nothing (and runs in the benchmark's process, which is not measured).
 */
export async function serveSyntheticTargets(count: number, series: number): Promise<SyntheticTargets> {
  const servers: Server[] = [];
  for (let target = 0; target < count; target++) {
    const bodies = [targetBody(target, series, 0), targetBody(target, series, 1)];
    let n = 0;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(bodies[n++ % 2]);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    servers.push(server);
  }
  return {
    addresses: servers.map((s) => `127.0.0.1:${(s.address() as AddressInfo).port}`),
    close: () => {
      for (const s of servers) s.closeAllConnections();
      for (const s of servers) s.close();
    },
  };
}

function targetBody(target: number, series: number, round: number): Buffer {
  let out = '# HELP bench_requests_total Synthetic requests.\n# TYPE bench_requests_total counter\n';
  for (let i = 0; i < series; i++) {
    out += `bench_requests_total{target="t${target}",handler="/api/v1/handler_${i % 50}",code="${200 + (i % 5)}",series="${i}"} ${i * 10 + round}\n`;
  }
  return Buffer.from(out);
}

/** A prometheus.yml scraping `addresses` every second as one job. */
export function syntheticScrapeConfig(addresses: readonly string[]): string {
  return `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: bench\n    static_configs:\n      - targets: [${addresses.map((a) => `'${a}'`).join(', ')}]\n`;
}

/** Counters read from the measured process: samples appended so far and active series. */
export type IngestionProgress = () => Promise<{ samples: number; series: number }>;

/** Progress from a server's own /metrics, by the TSDB metric names Prometheus and Pyrometer share. */
export function tsdbMetricsProgress(metricsUrl: string): IngestionProgress {
  return async () => {
    const text = await (await fetch(metricsUrl)).text();
    const value = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
    return { samples: value(/^prometheus_tsdb_head_samples_appended_total(?:\{type="float"\})? (\S+)$/m), series: value(/^prometheus_tsdb_head_series (\S+)$/m) };
  };
}

/** What one measured window gave. */
export interface IngestionFigures {
  cpuPerMillion: number;
  kibPerSeries: number;
  /** The whole process's RSS at the window's end, and the series it then had. */
  rssBytes: number;
  series: number;
}

/**
 * Waits until `expectedSeries` series exist (first scrapes build caches) plus `warmupS`, then
 * measures CPU time (utime+stime) and samples appended over `windowS`, and RSS at its end; stops
 * the process with SIGTERM afterwards. Prints one line with the raw figures, and a second with
 * what `describeMemory` says of the process (where its RSS goes) when given.
 */
export async function measureIngestion(
  name: string,
  child: ChildProcess,
  progress: IngestionProgress,
  { expectedSeries, warmupS, windowS }: { expectedSeries: number; warmupS: number; windowS: number },
  describeMemory?: (pid: number) => Promise<string>,
): Promise<IngestionFigures> {
  const deadline = Date.now() + 60_000;
  while ((await progress().catch(() => ({ series: 0 }))).series < expectedSeries && Date.now() < deadline) await sleep(0.5);
  await sleep(warmupS);
  const cpu0 = processCpuSeconds(child.pid!);
  const p0 = await progress();
  await sleep(windowS);
  const cpu = processCpuSeconds(child.pid!) - cpu0;
  const p1 = await progress();
  const rss = processRssBytes(child.pid!);
  const samples = p1.samples - p0.samples;
  console.log(`${name}: ${cpu.toFixed(2)} CPU-s for ${samples} samples in ${windowS}s, ${p1.series} series, RSS ${(rss / 2 ** 20).toFixed(0)} MiB`);
  if (describeMemory !== undefined) console.log(`${name} memory: ${await describeMemory(child.pid!)}`);
  child.kill('SIGTERM');
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  return { cpuPerMillion: cpu / (samples / 1e6), kibPerSeries: rss / 1024 / p1.series, rssBytes: rss, series: p1.series };
}

/** CPU time (user + system, seconds) a Linux process (or one of its threads, by id) has used so far, from /proc. */
export function processCpuSeconds(pid: number, thread?: number): number {
  // Fields after the command name: state is field 3, utime and stime are fields 14 and 15.
  const file = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
  const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** Resident set size (bytes) of a Linux process now, from /proc/<pid>/status. */
export function processRssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

const sleep = (s: number) => new Promise((resolve) => setTimeout(resolve, s * 1000));
