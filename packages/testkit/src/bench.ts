import { appendFileSync } from 'node:fs';

/**
 * One line of the `pnpm bench` table: our figure beside the upstream binary's figure for the same
 * work on the same machine (upstream omitted where no upstream equivalent can run the same work).
 */
export interface BenchRow {
  /** The package or area, e.g. "exposition". */
  suite: string;
  /** What was measured, e.g. "parse alltypes.237mfs.prom.txt". */
  case: string;
  /** Unit of both figures, e.g. "MB/s", "ns/sample", "KiB/series". */
  unit: string;
  ours: number;
  /** The baseline's figure and its name, e.g. { name: "prometheus 2.42", value: 250 }. */
  baseline?: { name: string; value: number };
  /** Whether a larger figure is better (throughput) or worse (latency, memory). */
  higherIsBetter: boolean;
  note?: string;
}

/**
 * Records a benchmark result. Under `pnpm bench` the rows go to the file in
 * `$PYROMETER_BENCH_OUT` and the root script prints them as one table; run alone, a bench prints
 * its rows directly.
 */
export function reportBench(row: BenchRow): void {
  const out = process.env['PYROMETER_BENCH_OUT'];
  if (out) appendFileSync(out, JSON.stringify(row) + '\n');
  else console.log(JSON.stringify(row));
}
// Benchmarks run outside vitest, so this entry must not import it: only vitest-free helpers here.
export { freePort, waitForHttp } from './net.js';
export { conformanceDir, repoRoot, sharedDir } from './paths.js';
export { peer } from './peers.js';
export { measureIngestion, processCpuSeconds, processRssBytes, serveSyntheticTargets, syntheticScrapeConfig, tsdbMetricsProgress, type IngestionProgress } from './ingestion.js';
export { FLINK_QUERIES, flinkWorkload, growingCounter, wanderingGauge, type FlinkWorkloadOptions, type WorkloadSeries } from './flink-workload.js';
