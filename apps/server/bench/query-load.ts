// Issue 17, "a busy server never goes blind", as a bench: our server and Debian's Prometheus 2.42,
// one after the other, each scraping 4 × 5,000 synthetic series every 2 s while 20 concurrent
// clients run Grafana-style query_range requests and /-/healthy is probed every 200 ms; then the
// same with one heavy query running; then a heavy query abandoned by its client after 2 s.
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportBench, serveSyntheticTargets, tsdbMetricsProgress } from '@pyrometer/testkit/bench';
import { measureAbandon, measureUnderLoad, type LoadFigures } from './load-driver.js';
import { launch, ourServer, prometheusBaseline, type ServerUnderTest } from './servers.js';

const TARGETS = 4;
const SERIES = 5_000;
const SCRAPE_INTERVAL_S = 2;
const CLIENTS = 20;
const LOAD_S = Number(process.env['PYROMETER_BENCH_LOAD_S'] ?? 90);
const HEAVY_S = Number(process.env['PYROMETER_BENCH_HEAVY_S'] ?? 30);
const WARMUP_S = 20;
const HEAVY_QUERY = 'count_over_time(vector(1)[400d:1s])';

interface ServerFigures {
  load: LoadFigures;
  heavy: LoadFigures;
  abandonMs: number;
}

async function measure(server: ServerUnderTest, config: string, data: string): Promise<ServerFigures> {
  const { child, base } = await launch(server, config, data);
  try {
    const progress = tsdbMetricsProgress(`${base}/metrics`);
    const deadline = Date.now() + 120_000;
    while ((await progress().catch(() => ({ series: 0 }))).series < TARGETS * SERIES) {
      if (Date.now() > deadline) throw new Error(`${server.name} did not ingest ${TARGETS * SERIES} series within 2 minutes`);
      await sleep(500);
    }
    await sleep(WARMUP_S * 1000);
    const common = { clients: CLIENTS, targets: TARGETS, scrapeIntervalS: SCRAPE_INTERVAL_S };
    const load = await measureUnderLoad(base, child.pid!, { ...common, windowS: LOAD_S });
    const heavy = await measureUnderLoad(base, child.pid!, { ...common, windowS: HEAVY_S, heavyQuery: HEAVY_QUERY });
    const abandonMs = await measureAbandon(base, HEAVY_QUERY, 2000);
    const figures = { load, heavy, abandonMs };
    console.log(`${server.name}: ${JSON.stringify(figures)}`);
    return figures;
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  }
}

/** Runs the query-load measurement on both servers and prints the issue's table with both columns. */
export async function benchQueryLoad(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'server-load-bench-'));
  const targets = await serveSyntheticTargets(TARGETS, SERIES);
  const config = join(dir, 'prometheus.yml');
  const list = targets.addresses.map((a) => `'${a}'`).join(', ');
  writeFileSync(config, `global:\n  scrape_interval: ${SCRAPE_INTERVAL_S}s\n  scrape_timeout: ${SCRAPE_INTERVAL_S}s\nscrape_configs:\n  - job_name: bench\n    static_configs:\n      - targets: [${list}]\n`);
  try {
    const ours = await measure(ourServer(), config, join(dir, 'ours'));
    const prometheus = prometheusBaseline();
    const baseline = prometheus === undefined ? undefined : await measure(prometheus, config, join(dir, 'prometheus'));
    printTable(ours, baseline);
    report(ours, baseline);
  } finally {
    targets.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function printTable(ours: ServerFigures, baseline: ServerFigures | undefined): void {
  const ms = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '∞');
  const rows: [string, (f: ServerFigures) => string][] = [
    ['scrapes recorded `up == 1` of at least (longest gap)', (f) => `${f.load.scrapesUp} of ${f.load.scrapesExpected} (${f.load.longestScrapeGapS.toFixed(1)} s)`],
    ['`/-/healthy` p50 / p99 / max (ms)', (f) => `${ms(f.load.healthP50)} / ${ms(f.load.healthP99)} / ${ms(f.load.healthMax)}`],
    ['queries completed (CPU cores busy)', (f) => `${f.load.queriesCompleted} (${f.load.cpuCores.toFixed(2)})`],
    ['+ heavy query: scrapes recorded `up == 1` of at least (longest gap)', (f) => `${f.heavy.scrapesUp} of ${f.heavy.scrapesExpected} (${f.heavy.longestScrapeGapS.toFixed(1)} s)`],
    ['+ heavy query: `/-/healthy` p50 / p99 / max (ms)', (f) => `${ms(f.heavy.healthP50)} / ${ms(f.heavy.healthP99)} / ${ms(f.heavy.healthMax)}`],
    ['+ heavy query: queries completed (CPU cores busy)', (f) => `${f.heavy.queriesCompleted} (${f.heavy.cpuCores.toFixed(2)})`],
    ['abandoned query still running after the client left (ms)', (f) => ms(f.abandonMs)],
  ];
  console.log(`\n${CLIENTS} clients, ${TARGETS} × ${SERIES} series every ${SCRAPE_INTERVAL_S}s, ${LOAD_S}s load (+ ${HEAVY_S}s with \`${HEAVY_QUERY}\`)\n`);
  console.log(`| measure | ours |${baseline === undefined ? '' : ' Prometheus 2.42 |'}\n|---|---|${baseline === undefined ? '' : '---|'}`);
  for (const [name, cell] of rows) console.log(`| ${name} | ${cell(ours)} |${baseline === undefined ? '' : ` ${cell(baseline)} |`}`);
}

function report(ours: ServerFigures, baseline: ServerFigures | undefined): void {
  const note = `${CLIENTS} query_range clients, ${TARGETS}×${SERIES} series every ${SCRAPE_INTERVAL_S}s`;
  const row = (name: string, unit: string, pick: (f: ServerFigures) => number, higherIsBetter: boolean, extra = '') =>
    reportBench({ suite: 'server', case: name, unit, ours: pick(ours), ...(baseline === undefined ? {} : { baseline: { name: 'prometheus 2.42', value: pick(baseline) } }), higherIsBetter, note: note + extra });
  for (const [phase, get, extra] of [['query load', (f: ServerFigures) => f.load, `, ${LOAD_S}s`], ['query load + heavy query', (f: ServerFigures) => f.heavy, `, ${HEAVY_S}s`]] as const) {
    row(`${phase}: scrapes recorded up`, `of ≥${get(ours).scrapesExpected}`, (f) => get(f).scrapesUp, true, extra);
    row(`${phase}: longest scrape gap`, 's', (f) => get(f).longestScrapeGapS, false, extra);
    row(`${phase}: /-/healthy p99`, 'ms', (f) => get(f).healthP99, false, extra);
    row(`${phase}: /-/healthy max`, 'ms', (f) => get(f).healthMax, false, extra);
    row(`${phase}: queries completed`, 'queries', (f) => get(f).queriesCompleted, true, extra);
  }
  row('abandoned query runs on for', 'ms', (f) => f.abandonMs, false, `; client gave up after 2s on ${HEAVY_QUERY}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
