// What a server's first query costs: our server starts its first query worker only when a query
// comes (none at boot, none after a long idle spell, see the README's "Idle RSS"), so that query pays
// the worker's start and a cold engine. Each run starts a fresh server scraping a few synthetic
// targets, waits, then times one `query` or `query_range` (the cold one) and the same request again
// several times (warm); Debian's Prometheus 2.42 runs the same for comparison.
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportBench, serveSyntheticTargets, syntheticScrapeConfig, waitForHttp } from '@pyrometer/testkit/bench';
import { launch, ourServer, prometheusBaseline, type ServerUnderTest } from './servers.js';
import { median } from './stats.js';
import { busyThreads, threadCpu, totalCpuMs } from './thread-cpu.js';

const TARGETS = 2;
const SERIES = 1_000;
const RUNS = Number(process.env['PYROMETER_BENCH_FIRST_QUERY_RUNS'] ?? 3);
/** How long each fresh server scrapes before its first query (s). */
const WAIT_S = Number(process.env['PYROMETER_BENCH_FIRST_QUERY_WAIT_S'] ?? 10);
const WARM_REPEATS = 5;
const QUERY = 'sum by (code) (rate(bench_requests_total[1m]))';
/**
 * With `PYROMETER_BENCH_FIRST_QUERY_START_WORKER=1`, each fresh server is first sent `vector(1)`
 * (no storage call), which starts its query worker, and the timed request follows 30 ms later,
 * before the worker's warm-up could begin (it waits 100 ms without a task): the two figures then
 * split a worker's start from the cold engine and the cold read path (server README, "Where a
 * fresh server's first query goes").
 */
const START_WORKER_FIRST = process.env['PYROMETER_BENCH_FIRST_QUERY_START_WORKER'] === '1';
const START_GAP_MS = 30;

type Route = 'query' | 'query_range';
const ROUTES: readonly Route[] = ['query', 'query_range'];

interface RunFigures {
  coldMs: number;
  /** The process's CPU during the first request, all threads (from the scheduler's nanosecond counters, not 10 ms ticks). */
  coldCpuMs: number;
  /** Each busy thread's CPU and wait for a core during the first request (see thread-cpu.ts). */
  coldThreads: string;
  /** With {@link START_WORKER_FIRST}: the `vector(1)` that started the worker, as wall ms, CPU-ms and busy threads. */
  start?: string;
  warmMs: number;
}

/** Times the first `route` request of a fresh `server`, and its median once warm. */
async function oneRun(server: ServerUnderTest, config: string, data: string, route: Route): Promise<RunFigures> {
  const { child, base } = await launch(server, config, data);
  try {
    await waitForHttp(`${base}/-/ready`);
    await new Promise((resolve) => setTimeout(resolve, WAIT_S * 1000));
    const start = START_WORKER_FIRST ? await startWorker(child.pid!, base) : undefined;
    const before = threadCpu(child.pid!);
    const coldMs = await timedRequest(base, route);
    const after = threadCpu(child.pid!);
    const warm: number[] = [];
    for (let i = 0; i < WARM_REPEATS; i++) warm.push(await timedRequest(base, route));
    return { coldMs, coldCpuMs: totalCpuMs(before, after), coldThreads: busyThreads(before, after, 1), warmMs: median(warm), ...(start === undefined ? {} : { start }) };
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  }
}

/** Starts the server's query worker with a `vector(1)`; waits {@link START_GAP_MS} after its answer. */
async function startWorker(pid: number, base: string): Promise<string> {
  const before = threadCpu(pid);
  const ms = await timedRequest(base, 'query', 'vector(1)');
  const after = threadCpu(pid);
  await new Promise((resolve) => setTimeout(resolve, START_GAP_MS));
  return `${ms.toFixed(0)} ms (${totalCpuMs(before, after).toFixed(0)} CPU-ms: ${busyThreads(before, after, 1)})`;
}

async function timedRequest(base: string, route: Route, query = QUERY): Promise<number> {
  const now = Date.now() / 1000;
  const params = new URLSearchParams(route === 'query' ? { query, time: String(now) } : { query, start: String(now - 600), end: String(now), step: '15' });
  const begin = performance.now();
  const res = await fetch(`${base}/api/v1/${route}`, { method: 'POST', body: params });
  const body = await res.text();
  const ms = performance.now() - begin;
  if (!res.ok || !body.includes('"success"')) throw new Error(`${route} answered ${res.status}: ${body.slice(0, 200)}`);
  return ms;
}

/** First-query wall time and CPU, cold and warm, ours beside Prometheus's. */
export async function benchFirstQuery(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'server-bench-'));
  const targets = await serveSyntheticTargets(TARGETS, SERIES);
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, syntheticScrapeConfig(targets.addresses));
  const prometheus = prometheusBaseline();
  const servers = prometheus === undefined ? [ourServer()] : [ourServer(), prometheus];
  let runs = 0;
  try {
    for (const route of ROUTES) {
      const figures = servers.map(() => [] as RunFigures[]);
      for (let run = 0; run < RUNS; run++) {
        for (const [i, server] of servers.entries()) {
          const f = await oneRun(server, config, join(dir, `${server.name}-${runs++}`), route);
          if (f.start !== undefined) console.log(`${server.name} vector(1) first (ours: its worker's start): ${f.start}`);
          console.log(`${server.name} ${route}: first ${f.coldMs.toFixed(0)} ms (${f.coldCpuMs.toFixed(0)} CPU-ms: ${f.coldThreads}), warm ${f.warmMs.toFixed(1)} ms`);
          figures[i]!.push(f);
        }
      }
      const [ours, baseline] = figures.map((f) => ({ cold: median(f.map((x) => x.coldMs)), coldCpu: median(f.map((x) => x.coldCpuMs)), warm: median(f.map((x) => x.warmMs)) }));
      const cpu = `first request's CPU ${ours!.coldCpu.toFixed(0)}${baseline === undefined ? '' : ` vs ${baseline.coldCpu.toFixed(0)}`} ms`;
      const started = START_WORKER_FIRST ? `; its worker started by \`vector(1)\` ${START_GAP_MS} ms before` : '';
      const note = `a fresh server scraping ${TARGETS} × ${SERIES} series for ${WAIT_S} s${started}; median of ${RUNS} servers; ${cpu}`;
      const vs = (value: number | undefined) => (value === undefined ? {} : { baseline: { name: 'prometheus 2.42', value } });
      reportBench({ suite: 'server', case: `first ${route} of a fresh server`, unit: 'ms', ours: ours!.cold, ...vs(baseline?.cold), higherIsBetter: false, note });
      reportBench({ suite: 'server', case: `${route} once warm`, unit: 'ms', ours: ours!.warm, ...vs(baseline?.warm), higherIsBetter: false, note: `${note}; ${WARM_REPEATS} requests after the first` });
    }
  } finally {
    targets.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
