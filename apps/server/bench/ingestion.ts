// Whole-server ingestion benchmark (issue: "scrape ingestion CPU-seconds per million samples and RSS
// per active series, side by side with Prometheus 2.42 scraping the same synthetic targets"): our
// server process — scrape manager, TSDB with its WAL, self-metrics, HTTP — and Debian's Prometheus
// 2.42 scrape the same 20 targets × 5,000 series at 1 s; both are measured from /proc over the same
// window, and both report progress through the same TSDB metric names on their /metrics.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, measureIngestion, reportBench, serveSyntheticTargets, syntheticScrapeConfig, tsdbMetricsProgress, type IngestionProgress } from '@pyrometer/testkit/bench';

const TARGETS = 20;
const SERIES = 5_000;
// Our own /metrics series (self-monitoring is not in this config) do not count toward the targets' series.
const WINDOW = { expectedSeries: TARGETS * SERIES, warmupS: 5, windowS: 30 };

const dir = mkdtempSync(join(tmpdir(), 'server-bench-'));
const targets = await serveSyntheticTargets(TARGETS, SERIES);
const config = join(dir, 'prometheus.yml');
writeFileSync(config, syntheticScrapeConfig(targets.addresses));

async function run(name: string, command: string, args: (port: number, data: string) => string[]): Promise<{ cpuPerMillion: number; kibPerSeries: number }> {
  const port = await freePort();
  const child = spawn(command, args(port, join(dir, name)), { stdio: 'ignore' });
  const progress: IngestionProgress = tsdbMetricsProgress(`http://127.0.0.1:${port}/metrics`);
  return measureIngestion(name, child, progress, WINDOW);
}

const common = (port: number, data: string) => [`--config.file=${config}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`];
// The built binary users run (`pnpm bench` builds first), so no TypeScript loader is measured with it.
const main = join(import.meta.dirname, '../dist/main.js');
if (!existsSync(main)) throw new Error(`${main} is missing: build first (pnpm run build)`);
const ours = await run('pyrometer', process.execPath, (port, data) => [main, ...common(port, data)]);
const PROMETHEUS = '/usr/bin/prometheus';
const baseline = existsSync(PROMETHEUS) ? await run('prometheus', PROMETHEUS, common) : undefined;
if (baseline === undefined) console.log(`baseline skipped: ${PROMETHEUS} is not installed (apt-get install prometheus)`);
targets.close();
rmSync(dir, { recursive: true, force: true });

const note = `${TARGETS} targets × ${SERIES} series at 1s, ${WINDOW.windowS}s window; both whole servers scraping into their TSDB with WAL`;
const vs = (value: number | undefined) => (value === undefined ? {} : { baseline: { name: 'prometheus 2.42', value } });
reportBench({ suite: 'server', case: 'scrape ingestion CPU', unit: 'CPU-s/M samples', ours: ours.cpuPerMillion, ...vs(baseline?.cpuPerMillion), higherIsBetter: false, note });
reportBench({ suite: 'server', case: 'RSS per active series', unit: 'KiB/series', ours: ours.kibPerSeries, ...vs(baseline?.kibPerSeries), higherIsBetter: false, note });
