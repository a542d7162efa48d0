import { readFileSync } from 'node:fs';

// The query-load measurement of issue 17, against one running server (ours or Prometheus): Grafana-
// style range queries from concurrent clients while /-/healthy is probed, then what the server
// recorded of its own scrapes over the same window.

/** What one measured window gave. */
export interface LoadFigures {
  /**
   * Samples of `up` equal to 1 recorded over the window, and the scrapes the interval implies at
   * least (targets × ⌊window / interval⌋; depending on the targets' phase one more each may fit).
   */
  scrapesUp: number;
  scrapesExpected: number;
  /** The longest time without a recorded scrape of one target within the window (s). */
  longestScrapeGapS: number;
  /** CPU time the server used over the window per second of it (2 = both cores busy). */
  cpuCores: number;
  /** /-/healthy latency in ms (probes still unanswered at the end count with their age). */
  healthP50: number;
  healthP99: number;
  healthMax: number;
  /** Range queries answered with 200 within the window, and other outcomes. */
  queriesCompleted: number;
  queriesFailed: number;
}

/** The load of one window. */
export interface LoadOptions {
  clients: number;
  windowS: number;
  /** Scrape targets and interval of the server's config, for the scrapes expected. */
  targets: number;
  scrapeIntervalS: number;
  /** A query sent once at the start of the window and abandoned at its end. */
  heavyQuery?: string;
}

/** A dashboard of the synthetic targets' series, as Grafana panels ask for them. */
const DASHBOARD = [
  'sum by (handler) (rate(bench_requests_total[1m]))',
  'sum by (code) (rate(bench_requests_total[1m]))',
  'topk(5, sum by (target, handler) (rate(bench_requests_total[1m])))',
  'sum(rate(bench_requests_total{code="200"}[1m])) / sum(rate(bench_requests_total[1m]))',
  'count by (target) (bench_requests_total)',
  'sum by (handler) (rate(bench_requests_total{handler=~"/api/v1/handler_1.*"}[1m]))',
];
const RANGE_S = 600;
const STEP_S = 15;
const PROBE_EVERY_MS = 200;

/** Runs `clients` query loops and the health probe against `base` (server process `pid`) for the window; then counts the scrapes. */
export async function measureUnderLoad(base: string, pid: number, o: LoadOptions): Promise<LoadFigures> {
  const stop = new AbortController();
  const cpu0 = cpuSeconds(pid);
  const start = Date.now();
  const endAt = start + o.windowS * 1000;
  let completed = 0;
  let failed = 0;
  const client = async (n: number) => {
    for (let i = n; Date.now() < endAt; i++) {
      const now = Date.now() / 1000;
      const form = new URLSearchParams({ query: DASHBOARD[i % DASHBOARD.length]!, start: String(now - RANGE_S), end: String(now), step: String(STEP_S) });
      try {
        const res = await fetch(`${base}/api/v1/query_range`, { method: 'POST', body: form, signal: stop.signal });
        await res.arrayBuffer();
        if (Date.now() > endAt) break;
        if (res.ok) completed++;
        else failed++;
      } catch {
        if (!stop.signal.aborted) failed++;
      }
    }
  };
  const heavy = o.heavyQuery === undefined ? undefined : fetch(`${base}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query: o.heavyQuery }), signal: stop.signal }).then((r) => r.arrayBuffer()).catch(() => undefined);
  const probes = probeHealth(base, endAt);
  const clients = Array.from({ length: o.clients }, (_, n) => client(n));
  await new Promise((resolve) => setTimeout(resolve, endAt - Date.now()));
  const cpuCores = (cpuSeconds(pid) - cpu0) / ((Date.now() - start) / 1000);
  stop.abort();
  await Promise.all([...clients, heavy]);
  const latencies = await probes;
  const scrapes = await recordedScrapes(base, start, endAt);
  return {
    ...scrapes,
    scrapesExpected: o.targets * Math.floor(o.windowS / o.scrapeIntervalS),
    cpuCores,
    healthP50: quantile(latencies, 0.5),
    healthP99: quantile(latencies, 0.99),
    healthMax: Math.max(...latencies),
    queriesCompleted: completed,
    queriesFailed: failed,
  };
}

/** Probes /-/healthy every 200 ms until `endAt`, each probe on its own; resolves with every latency (ms). */
async function probeHealth(base: string, endAt: number): Promise<number[]> {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  while (Date.now() < endAt) {
    const t0 = performance.now();
    pending.push(
      fetch(`${base}/-/healthy`, { signal: AbortSignal.timeout(Math.max(1, endAt - Date.now())) })
        .then((r) => r.arrayBuffer())
        .then(
          () => void latencies.push(performance.now() - t0),
          () => void latencies.push(performance.now() - t0),
        ),
    );
    await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
  }
  await Promise.all(pending);
  return latencies;
}

/**
 * The `up` samples the server recorded for the bench job between `start` and `end` (ms): how many
 * are 1, and the longest stretch of one target without any (window edges included).
 */
async function recordedScrapes(base: string, start: number, end: number): Promise<{ scrapesUp: number; longestScrapeGapS: number }> {
  const query = `up{job="bench"}[${Math.floor((end - start) / 1000)}s]`;
  const res = await fetch(`${base}/api/v1/query?${new URLSearchParams({ query, time: String(end / 1000) })}`);
  const text = await res.text();
  if (!res.ok) throw new Error(`${query} answered ${res.status}: ${text}`);
  const body = JSON.parse(text) as { data?: { result?: { values: [number, string][] }[] } };
  let scrapesUp = 0;
  let longestScrapeGapS = 0;
  for (const series of body.data?.result ?? []) {
    let last = start / 1000;
    for (const [t, v] of series.values) {
      if (v === '1') scrapesUp++;
      longestScrapeGapS = Math.max(longestScrapeGapS, t - last);
      last = t;
    }
    longestScrapeGapS = Math.max(longestScrapeGapS, end / 1000 - last);
  }
  return { scrapesUp, longestScrapeGapS };
}

/** utime + stime of process `pid` in seconds (Linux /proc; 100 ticks per second). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Sends `query`, gives up after `abandonAfterMs` (as `curl -m` does) and returns how long after
 * that the server still ran it: until its `prometheus_engine_queries` gauge reads 0 again (ms,
 * polled every 10 ms; Infinity after a minute).
 */
export async function measureAbandon(base: string, query: string, abandonAfterMs: number): Promise<number> {
  // Queries of earlier windows first: a server that ignores departed clients may still run one.
  const quiet = Date.now() + 150_000;
  while ((await engineQueries(base)) !== 0 && Date.now() < quiet) await new Promise((resolve) => setTimeout(resolve, 500));
  const client = new AbortController();
  const request = fetch(`${base}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query }), signal: client.signal }).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, abandonAfterMs));
  const running = await engineQueries(base);
  client.abort();
  const t0 = performance.now();
  await request;
  if (running === 0) return 0;
  while (performance.now() - t0 < 60_000) {
    if ((await engineQueries(base)) === 0) return performance.now() - t0;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Infinity;
}

async function engineQueries(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(/^prometheus_engine_queries (\S+)$/m.exec(text)?.[1] ?? NaN);
}

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
