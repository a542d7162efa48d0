// Scraper ingestion benchmark: CPU-seconds per million scraped samples and RSS per active series of
// the scraper alone (bench/scraper.ts scrapes into a no-op Appendable), beside Debian's Prometheus
// 2.42 (scraping into its TSDB) on the same synthetic targets (20 × 5,000 series at 1 s). The whole
// server with its TSDB in the loop is apps/server's benchmark; this one isolates the scrape path.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, measureIngestion, reportBench, serveSyntheticTargets, syntheticScrapeConfig, tsdbMetricsProgress, type IngestionProgress } from '@pyrometer/testkit/bench';

const TARGETS = 20;
const SERIES = 5_000;
const WINDOW = { expectedSeries: TARGETS * SERIES, warmupS: 3, windowS: 25 };

const dir = mkdtempSync(join(tmpdir(), 'scrape-bench-'));
const targets = await serveSyntheticTargets(TARGETS, SERIES);
const config = join(dir, 'prometheus.yml');
writeFileSync(config, syntheticScrapeConfig(targets.addresses));

// `node --import tsx` rather than the tsx CLI, whose wrapper process would be the one measured.
const scraper = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', join(import.meta.dirname, 'scraper.ts'), config], { stdio: ['pipe', 'pipe', 'inherit'] });
const ours = await measureIngestion('pyrometer scraper', scraper, lineProgress(scraper), WINDOW);

const PROMETHEUS = '/usr/bin/prometheus';
let baseline: { cpuPerMillion: number; kibPerSeries: number } | undefined;
if (existsSync(PROMETHEUS)) {
  const port = await freePort();
  const prom = spawn(PROMETHEUS, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  baseline = await measureIngestion('prometheus 2.42', prom, tsdbMetricsProgress(`http://127.0.0.1:${port}/metrics`), WINDOW);
} else console.log(`baseline skipped: ${PROMETHEUS} is not installed (apt-get install prometheus)`);
targets.close();
rmSync(dir, { recursive: true, force: true });

const note = `${TARGETS} targets × ${SERIES} series at 1s, ${WINDOW.windowS}s window; ours: scraper alone into a no-op Appendable, Prometheus into its TSDB`;
const vs = (value: number | undefined) => (value === undefined ? {} : { baseline: { name: 'prometheus 2.42', value } });
reportBench({ suite: 'scrape', case: 'scraper ingestion CPU', unit: 'CPU-s/M samples', ours: ours.cpuPerMillion, ...vs(baseline?.cpuPerMillion), higherIsBetter: false, note });
reportBench({ suite: 'scrape', case: 'scraper RSS per active series', unit: 'KiB/series', ours: ours.kibPerSeries, ...vs(baseline?.kibPerSeries), higherIsBetter: false, note });

/** Our scraper prints its counters every second; the last line wins. */
function lineProgress(child: ChildProcess): IngestionProgress {
  let last = { samples: 0, series: 0 };
  child.stdout!.on('data', (d: Buffer) => {
    const lines = d.toString().trim().split('\n');
    last = JSON.parse(lines[lines.length - 1]!) as typeof last;
  });
  return async () => last;
}
