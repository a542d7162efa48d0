// Scrape ingestion benchmark: CPU-seconds per million scraped samples and RSS per active series,
// ours (bench/scraper.ts, a no-op Appendable) beside Debian's Prometheus 2.42 (its own TSDB) scraping
// the same synthetic targets (20 × 5,000 series at 1 s) for the same time. Both are measured from
// /proc/<pid>/stat (utime+stime) and /proc/<pid>/status (VmRSS) over the same window after warm-up.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, reportBench } from '@pyrometer/testkit/bench';

const TARGETS = 20;
const SERIES = 5_000;
const WARMUP_S = 3;
const WINDOW_S = 25;
const CLK_TCK = 100;

// `node --import tsx` rather than the tsx CLI, whose wrapper process would be the one measured.
const tsNode = (file: string, ...args: string[]) => [process.execPath, ['--import', 'tsx', '--conditions=source', join(import.meta.dirname, file), ...args]] as const;
const dir = mkdtempSync(join(tmpdir(), 'scrape-bench-'));
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function start(cmd: string, args: readonly string[]): ChildProcess {
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  return child;
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

/** Counters read from the measured process: samples appended so far and active series. */
type Progress = () => Promise<{ samples: number; series: number }>;

async function measure(name: string, child: ChildProcess, progress: Progress): Promise<{ cpuPerMillion: number; kibPerSeries: number }> {
  // Warm-up: until every series has been seen once (first scrapes build labels and caches), plus a little.
  const deadline = Date.now() + 30_000;
  while ((await progress().catch(() => ({ series: 0 }))).series < TARGETS * SERIES && Date.now() < deadline) await sleep(0.5);
  await sleep(WARMUP_S);
  const cpu0 = cpuSeconds(child.pid!);
  const p0 = await progress();
  await sleep(WINDOW_S);
  const cpu = cpuSeconds(child.pid!) - cpu0;
  const p1 = await progress();
  const rss = rssBytes(child.pid!);
  const samples = p1.samples - p0.samples;
  console.log(`${name}: ${cpu.toFixed(2)} CPU-s for ${samples} samples in ${WINDOW_S}s (${((100 * samples) / (TARGETS * (SERIES + 5) * WINDOW_S)).toFixed(0)}% of scheduled), ${p1.series} series, RSS ${(rss / 2 ** 20).toFixed(0)} MiB`);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { cpuPerMillion: cpu / (samples / 1e6), kibPerSeries: rss / 1024 / p1.series };
}

/** Our scraper prints its counters every second; the last line wins. */
function lineProgress(child: ChildProcess): Progress {
  let last = { samples: 0, series: 0 };
  child.stdout!.on('data', (d: Buffer) => {
    const lines = d.toString().trim().split('\n');
    last = JSON.parse(lines[lines.length - 1]!) as typeof last;
  });
  return async () => last;
}

/** Prometheus's own counters from its /metrics. */
function prometheusProgress(port: number): Progress {
  return async () => {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const value = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
    return { samples: value(/^prometheus_tsdb_head_samples_appended_total(?:\{type="float"\})? (\S+)$/m), series: value(/^prometheus_tsdb_head_series (\S+)$/m) };
  };
}

const ports = await Promise.all(Array.from({ length: TARGETS }, () => freePort()));
const server = start(...tsNode('targets.ts', String(SERIES), ...ports.map(String)));
await new Promise<void>((resolve) => server.stdout!.once('data', () => resolve()));
const config = join(dir, 'prometheus.yml');
writeFileSync(config, `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: bench\n    static_configs:\n      - targets: [${ports.map((p) => `'127.0.0.1:${p}'`).join(', ')}]\n`);

const scraper = start(...tsNode('scraper.ts', config));
const ours = await measure('pyrometer', scraper, lineProgress(scraper));

const PROMETHEUS = '/usr/bin/prometheus';
let baseline: { cpuPerMillion: number; kibPerSeries: number } | undefined;
if (existsSync(PROMETHEUS)) {
  const port = await freePort();
  const prom = start(PROMETHEUS, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`]);
  baseline = await measure('prometheus 2.42', prom, prometheusProgress(port));
} else console.log(`baseline skipped: ${PROMETHEUS} is not installed (apt-get install prometheus)`);

const note = `${TARGETS} targets × ${SERIES} series at 1s, ${WINDOW_S}s window after all series were seen + ${WARMUP_S}s; ours into a no-op Appendable, Prometheus into its TSDB`;
reportBench({ suite: 'scrape', case: 'ingestion CPU', unit: 'CPU-s/M samples', ours: ours.cpuPerMillion, ...(baseline ? { baseline: { name: 'prometheus 2.42', value: baseline.cpuPerMillion } } : {}), higherIsBetter: false, note });
reportBench({ suite: 'scrape', case: 'RSS per active series', unit: 'KiB/series', ours: ours.kibPerSeries, ...(baseline ? { baseline: { name: 'prometheus 2.42', value: baseline.kibPerSeries } } : {}), higherIsBetter: false, note });
process.exit(0);
