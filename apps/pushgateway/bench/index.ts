// Pushgateway benchmark, ours beside Debian's prometheus-pushgateway on the same machine: push
// latency as the store grows (groups of 1k series), push throughput, /metrics latency and RSS.
// Both run as separate processes and are driven over HTTP by this script. Bounded to ~2 minutes:
// upstream re-gathers the whole store on every push, so its fill is capped by time.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFamilies } from '@pyrometer/exposition';
import { MemoryStore } from '@pyrometer/pushgateway';
import { freePort, reportBench, waitForHttp } from '@pyrometer/testkit/bench';

const SIZES = [10, 100, 1000];
const FILL_BUDGET_MS = 12_000;
const WARMUP_PUSHES = 10;
const SAMPLES = 9;

/** A Flink-like group body: 10 gauge families × 100 series (1k series). */
function groupBody(): string {
  let out = '';
  for (let f = 0; f < 10; f++) {
    out += `# HELP flink_taskmanager_job_task_metric${f} metric${f} (scope: taskmanager_job_task)\n# TYPE flink_taskmanager_job_task_metric${f} gauge\n`;
    for (let s = 0; s < 100; s++) out += `flink_taskmanager_job_task_metric${f}{job_id="a1b2c3",task_name="Map_${s % 7}",subtask_index="${s}",host="10_0_3_17",tm_id="tm_${s % 5}",} ${(s * 1.5 + f).toFixed(1)}\n`;
  }
  return out;
}

const UPSTREAM = '/usr/bin/prometheus-pushgateway';

interface Target {
  name: string;
  url: string;
  proc: ChildProcess;
}

async function start(name: string, command: string, args: string[]): Promise<Target> {
  const port = await freePort();
  const proc = spawn(command, [...args, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/-/ready`);
  return { name, url, proc };
}

async function push(target: Target, group: number, body: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${target.url}/metrics/job/bench${group}/instance/i`, { method: 'PUT', body, headers: { 'Content-Type': 'text/plain; version=0.0.4' } });
  await res.arrayBuffer();
  if (res.status >= 300) throw new Error(`${target.name}: push answered ${res.status}`);
  return performance.now() - t0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? 0 : Number(m[1]) / 1024;
}

interface Figures {
  latencyBySize: Map<number, number>;
  reached: number;
  throughput: number;
  scrapeMs: number;
  rss: number;
}

async function measure(target: Target, body: string): Promise<Figures> {
  const latencyBySize = new Map<number, number>();
  let groups = 0;
  for (let i = 0; i < WARMUP_PUSHES; i++) await push(target, 0, body);
  const fillStart = performance.now();
  for (const size of SIZES) {
    while (groups < size && performance.now() - fillStart < FILL_BUDGET_MS) await push(target, groups++, body);
    if (groups < size) break;
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i++) samples.push(await push(target, i % size, body));
    latencyBySize.set(size, median(samples));
  }
  // Throughput: 4 concurrent clients re-pushing existing groups for 3 s.
  let done = 0;
  const until = performance.now() + 3000;
  await Promise.all(Array.from({ length: 4 }, async (_, c) => {
    for (let i = c; performance.now() < until; i += 4) {
      await push(target, i % groups, body);
      done++;
    }
  }));
  const throughput = done / 3;
  const scrapes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await (await fetch(`${target.url}/metrics`)).arrayBuffer();
    scrapes.push(performance.now() - t0);
  }
  return { latencyBySize, reached: groups, throughput, scrapeMs: median(scrapes), rss: rssMiB(target.proc.pid!) };
}

/**
 * The store alone (no HTTP, no parsing): one checked PUT of a pre-parsed 1k-series group as the
 * store grows. Upstream's equivalent cannot be isolated; its HTTP figures above include it.
 */
async function storeOnly(body: string): Promise<void> {
  const families = parseFamilies(body, 'text/plain; version=0.0.4');
  const store = await MemoryStore.open();
  for (let i = 0; i < WARMUP_PUSHES; i++) await store.write({ op: 'put', labels: { job: 'bench0', instance: 'i' }, families, timeMs: Date.now(), check: true });
  const started = performance.now();
  let groups = 0;
  for (const size of SIZES) {
    while (groups < size && performance.now() - started < FILL_BUDGET_MS) await store.write({ op: 'put', labels: { job: `bench${groups++}`, instance: 'i' }, families, timeMs: Date.now(), check: true });
    if (groups < size) break;
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const t0 = performance.now();
      await store.write({ op: 'put', labels: { job: `bench${i % size}`, instance: 'i' }, families, timeMs: Date.now(), check: true });
      samples.push(performance.now() - t0);
    }
    reportBench({ suite: 'pushgateway', case: `store.write (checked PUT, 1k series), store of ${size} groups × 1k`, unit: 'ms/push', ours: median(samples), higherIsBetter: false, note: 'in-process, no HTTP or parsing: flat as the store grows' });
  }
  await store.close();
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pyrometer-pg-bench-'));
  const body = groupBody();
  // One node process (tsx as a loader, not its wrapper) so /proc/<pid> is the gateway itself.
  const ours = await start('ours', process.execPath, ['--conditions=source', '--import', 'tsx', join(process.cwd(), 'src/main.ts'), `--persistence.file=${dir}/ours.json`]);
  let theirs: Target | undefined;
  try {
    const mine = await measure(ours, body);
    let base: Figures | undefined;
    if (existsSync(UPSTREAM)) {
      theirs = await start('upstream', UPSTREAM, [`--persistence.file=${dir}/upstream.data`]);
      base = await measure(theirs, body);
    } else console.error(`baseline skipped: ${UPSTREAM} is not installed (apt-get install prometheus-pushgateway)`);
    const baseline = (v: number | undefined) => (v === undefined ? {} : { baseline: { name: 'prometheus-pushgateway 1.5', value: v } });
    for (const size of SIZES) {
      const ourMs = mine.latencyBySize.get(size);
      if (ourMs === undefined) continue;
      const theirMs = base?.latencyBySize.get(size);
      reportBench({ suite: 'pushgateway', case: `PUT 1k series, store of ${size} groups × 1k`, unit: 'ms/push', ours: ourMs, ...baseline(theirMs), higherIsBetter: false, ...(base !== undefined && theirMs === undefined ? { note: `upstream reached only ${base.reached} groups in ${FILL_BUDGET_MS / 1000}s` } : {}) });
    }
    const sameSize = base === undefined ? '' : ` (upstream store: ${base.reached} groups)`;
    reportBench({ suite: 'pushgateway', case: `push throughput, 4 clients, ${mine.reached} groups${sameSize}`, unit: 'pushes/s', ours: mine.throughput, ...baseline(base?.throughput), higherIsBetter: true });
    reportBench({ suite: 'pushgateway', case: `GET /metrics, ${mine.reached}k series${sameSize}`, unit: 'ms', ours: mine.scrapeMs, ...baseline(base?.scrapeMs), higherIsBetter: false, note: 'sizes differ when upstream could not fill' });
    reportBench({ suite: 'pushgateway', case: `RSS after the run, ${mine.reached}k series${sameSize}`, unit: 'MiB', ours: mine.rss, ...baseline(base?.rss), higherIsBetter: false });
    await storeOnly(body);
  } finally {
    ours.proc.kill('SIGTERM');
    theirs?.proc.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
