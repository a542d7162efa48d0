// PromQL engine benchmarks: upstream's bench_test.go shapes on our engine, and the Flink dashboard
// and alert queries side by side with Debian's Prometheus 2.42 answering the same range queries
// over the same samples (loaded through promtool-made blocks).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MemoryStorage } from '@pyrometer/storage';
import { reportBench } from '@pyrometer/testkit/bench';
import { Engine } from '../src/index.js';
import { baselineUnavailable, startBaseline, type PrometheusBaseline } from './prometheus.js';
import { benchShapes, FLINK_QUERIES, flinkWorkload, type GeneratedSeries } from './workload.js';

const SUITE = 'promql';
const INTERVAL = 10_000;

async function load(series: readonly GeneratedSeries[], start: number, samples: number): Promise<MemoryStorage> {
  const storage = new MemoryStorage();
  for (let from = 0; from < series.length; from += 500) {
    const app = storage.appender();
    for (const s of series.slice(from, from + 500)) {
      let ref = 0;
      for (let i = 0; i < samples; i++) ref = app.append(ref, s.labels, start + i * INTERVAL, s.value(i));
    }
    await app.commit();
  }
  return storage;
}

// A full collection before every measured run, so a query does not pay for garbage that loading left.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Minimum wall time in ms of `fn` over `runs` runs after one warm-up. The minimum, not the median:
 * the bench machine is shared, and the fastest run is the one least disturbed by other processes
 * (the Prometheus side is measured the same way).
 */
async function minMs(runs: number, fn: () => Promise<unknown>, warmups = 1): Promise<number> {
  for (let i = 0; i < warmups; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    gc();
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return Math.min(...times);
}

async function benchShapesOnly(): Promise<void> {
  const sizes = [10, 100, 1000];
  const steps = [1, 1000];
  const samples = 1000 + 40;
  const storage = await load(benchShapes(sizes), 0, samples);
  const engine = new Engine({ maxSamples: 500_000_000, timeout: 600_000 });
  const queries = [
    'a_X',
    'rate(a_X[1m])',
    'sum(a_X)',
    'sum by (le)(h_X_bucket)',
    'histogram_quantile(0.9, rate(h_X_bucket[5m]))',
    'a_X + b_X',
    'topk(1, a_X)',
    'label_replace(a_X, "l2", "$1", "l", "(.*)")',
  ];
  for (const n of sizes) {
    for (const q of queries) {
      for (const stepCount of steps) {
        const query = q.replaceAll('X', String(n));
        const end = samples * INTERVAL - INTERVAL;
        const start = end - (stepCount - 1) * INTERVAL;
        const ms = await minMs(3, () => engine.rangeQuery(storage, query, start, end, INTERVAL).exec());
        reportBench({ suite: SUITE, case: `${query} (${n} series × ${stepCount} steps)`, unit: 'ms/query', ours: ms, higherIsBetter: false, note: 'bench_test.go shape; MemoryStorage' });
      }
    }
  }
}

async function benchFlink(): Promise<void> {
  const jobs = 20;
  const series = flinkWorkload(jobs, 2, 5, 2);
  const samples = 360; // 1 h at 10 s
  const start = Math.floor((Date.now() - 2 * 3600_000) / INTERVAL) * INTERVAL;
  const end = start + (samples - 1) * INTERVAL;
  const qStart = start + 600_000;
  const step = 60_000;
  const storage = await load(series, start, samples);
  const engine = new Engine({ maxSamples: 500_000_000, timeout: 600_000 });
  const unavailable = baselineUnavailable();
  let baseline: PrometheusBaseline | undefined;
  let baselineError = unavailable;
  if (unavailable === undefined) {
    try {
      baseline = await startBaseline(series, start, INTERVAL, samples);
    } catch (err) {
      baselineError = err instanceof Error ? err.message : String(err);
    }
  }
  const note = `Flink ${jobs} jobs, ${series.length} series, 1h at 10s, range query 50m/60s; min of 25 after 25 warm-ups; ours: wall time on MemoryStorage, prometheus: stats evalTotalTime`;
  try {
    for (const query of FLINK_QUERIES) {
      const ours = await minMs(25, () => engine.rangeQuery(storage, query, qStart, end, step).exec(), 25);
      let theirs: number | undefined;
      if (baseline !== undefined) {
        const secs: number[] = [];
        for (let i = 0; i < 25; i++) await baseline.rangeQuerySeconds(query, qStart, end, step);
        for (let i = 0; i < 25; i++) secs.push(await baseline.rangeQuerySeconds(query, qStart, end, step));
        theirs = Math.min(...secs) * 1000;
      }
      reportBench({
        suite: SUITE,
        case: query,
        unit: 'ms/query',
        ours,
        ...(theirs === undefined ? {} : { baseline: { name: 'prometheus 2.42', value: theirs } }),
        higherIsBetter: false,
        note: baselineError === undefined ? note : `${note}; no baseline: ${baselineError}`,
      });
    }
  } finally {
    await baseline?.stop();
  }
}

const parserBench = join(import.meta.dirname, 'parser.ts');
if (existsSync(parserBench)) {
  const mod = (await import(pathToFileURL(parserBench).href)) as { benchParser?: (report: typeof reportBench) => Promise<void> | void };
  await mod.benchParser?.(reportBench);
}
// PYROMETER_BENCH_PROMQL=shapes|flink runs one part only.
const part = process.env['PYROMETER_BENCH_PROMQL'];
if (part !== 'flink') await benchShapesOnly();
if (part !== 'shapes') await benchFlink();
