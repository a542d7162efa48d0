// Whole-server ingestion benchmark (issue: "scrape ingestion CPU-seconds per million samples and RSS
// per active series, side by side with Prometheus 2.42 scraping the same synthetic targets"): our
// server process — scrape manager, TSDB with its WAL, self-metrics, HTTP — and Debian's Prometheus
// 2.42 scrape the same 20 targets × 5,000 series at 1 s; both are measured from /proc over the same
// window, and both report progress through the same TSDB metric names on their /metrics. The two
// run one after the other, `PYROMETER_BENCH_INGESTION_ROUNDS` (default 2) times with the order
// swapped every round (ours first, then Prometheus first), each in a fresh data directory; the
// medians are reported, so a neighbour's burst on the shared machine weighs on both alike. After
// each, the same server runs idle (no targets) for as long, and the RSS the series added over that
// idle RSS is reported per series beside the whole-process figure (Node's fixed cost is not Go's).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureIngestion, reportBench, serveSyntheticTargets, syntheticScrapeConfig, tsdbMetricsProgress } from '@pyrometer/testkit/bench';
import { idleRssBytes } from './idle-rss.js';
import { memoryBreakdown } from './memory-breakdown.js';
import { launch, ourServer, prometheusBaseline, type ServerUnderTest } from './servers.js';
import { alternatingOrder, median } from './stats.js';

const TARGETS = 20;
const SERIES = 5_000;
// Our own /metrics series (self-monitoring is not in this config) do not count toward the targets' series.
const WINDOW = { expectedSeries: TARGETS * SERIES, warmupS: 5, windowS: 30 };
const ROUNDS = Number(process.env['PYROMETER_BENCH_INGESTION_ROUNDS'] ?? '2');

/** Scrape ingestion CPU and RSS per series, ours beside Prometheus's. */
export async function benchIngestion(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'server-bench-'));
  const targets = await serveSyntheticTargets(TARGETS, SERIES);
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, syntheticScrapeConfig(targets.addresses));
  let runs = 0;
  const run = async (server: ServerUnderTest) => {
    const started = Date.now();
    const { child, base } = await launch(server, config, join(dir, `${server.name}-${runs++}`));
    const loaded = await measureIngestion(server.name, child, tsdbMetricsProgress(`${base}/metrics`), WINDOW, (pid) => memoryBreakdown(pid, `${base}/metrics`));
    const idle = await idleRssBytes(server, dir, join(dir, `${server.name}-${runs++}`), Date.now() - started);
    const marginalKibPerSeries = (loaded.rssBytes - idle) / 1024 / loaded.series;
    console.log(`${server.name}: RSS per series ${loaded.kibPerSeries.toFixed(2)} KiB whole process, ${marginalKibPerSeries.toFixed(2)} KiB over the idle server's ${(idle / 2 ** 20).toFixed(0)} MiB`);
    return { ...loaded, marginalKibPerSeries };
  };
  const prometheus = prometheusBaseline();
  const servers = prometheus === undefined ? [ourServer()] : [ourServer(), prometheus];
  const figures: Awaited<ReturnType<typeof run>>[][] = servers.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const i of alternatingOrder(round, servers.length)) figures[i]!.push(await run(servers[i]!));
  }
  targets.close();
  rmSync(dir, { recursive: true, force: true });
  const [ours, baseline] = figures.map((f) => ({ cpuPerMillion: median(f.map((x) => x.cpuPerMillion)), kibPerSeries: median(f.map((x) => x.kibPerSeries)), marginalKibPerSeries: median(f.map((x) => x.marginalKibPerSeries)) }));

  const note = `${TARGETS} targets × ${SERIES} series at 1s, median of ${ROUNDS} alternating ${WINDOW.windowS}s windows; both whole servers scraping into their TSDB with WAL`;
  const vs = (value: number | undefined) => (value === undefined ? {} : { baseline: { name: 'prometheus 2.42', value } });
  reportBench({ suite: 'server', case: 'scrape ingestion CPU', unit: 'CPU-s/M samples', ours: ours!.cpuPerMillion, ...vs(baseline?.cpuPerMillion), higherIsBetter: false, note });
  reportBench({ suite: 'server', case: 'RSS per active series', unit: 'KiB/series', ours: ours!.kibPerSeries, ...vs(baseline?.kibPerSeries), higherIsBetter: false, note });
  reportBench({ suite: 'server', case: 'RSS per active series over the idle server', unit: 'KiB/series', ours: ours!.marginalKibPerSeries, ...vs(baseline?.marginalKibPerSeries), higherIsBetter: false, note: `${note}; minus the same server's RSS with no targets as long after its start` });
}
