// The PromQL benchmark's headline, like with like: our server binary and Debian's Prometheus 2.42
// answer the Flink dashboard and alert queries (flink-reporter.md §3) through
// /api/v1/query_range over the same samples, from a copy of the same data directory each — once
// with every sample in the head (our TSDB's WAL, which both replay), once with every sample in
// blocks (made by promtool). Both are timed the same way, as a client sees them: wall time of the
// whole request, minimum over repeated runs after warm-ups (the machine is shared; the fastest run
// is the least disturbed). `pnpm bench promql` runs this before the engine-only figures.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLINK_QUERIES, flinkWorkload, freePort, peer, reportBench, waitForHttp } from '@pyrometer/testkit/bench';
import { writeBlocksDataDir, writeHeadDataDir, type SampleGrid } from './promql-data.js';
import { describeAnswer } from './query-answer.js';

const RUNS = 20;
const WARMUPS = 10;
const STEP = 60_000;
const HOURS = Number(process.env['PYROMETER_BENCH_PROMQL_HOURS'] ?? '1');
const OURS = join(import.meta.dirname, '../dist/main.js');
if (!existsSync(OURS)) throw new Error(`${OURS} is missing: build first (pnpm run build)`);
const prometheus = peer('prometheus', 'prometheus');
const promtool = peer('promtool', 'prometheus');

// flink-reporter.md §2.3's job: 4 TaskManagers, 4 chained vertices × parallelism 8 = 32 subtasks.
const JOBS = 20;
const series = flinkWorkload(JOBS, 4, 4, 8);
const intervalMs = 10_000;
const samples = Math.round((HOURS * 3600_000) / intervalMs);
const grid: SampleGrid = { startMs: Math.floor((Date.now() - (HOURS + 1) * 3600_000) / intervalMs) * intervalMs, intervalMs, samples };
const end = grid.startMs + (samples - 1) * intervalMs;
const start = end - 3000_000;

/** One query's figure on one server: best wall time, and what it answered (to compare answers). */
interface Timing {
  ms: number;
  answer: string;
}

/** Starts a server binary on a copy of `dataDir`, times every query, stops it. */
async function timeServer(command: string, args: string[], dataDir: string): Promise<Timing[]> {
  const work = mkdtempSync(join(tmpdir(), 'pyrometer-promql-server-'));
  try {
    cpSync(dataDir, join(work, 'data'), { recursive: true });
    writeFileSync(join(work, 'prometheus.yml'), 'global: {}\n');
    const port = await freePort();
    const flags = [`--config.file=${join(work, 'prometheus.yml')}`, `--storage.tsdb.path=${join(work, 'data')}`, '--storage.tsdb.retention.time=100y', `--web.listen-address=127.0.0.1:${port}`, '--query.max-samples=500000000'];
    const child = spawn(command, [...args, ...flags], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitForHttp(`${base}/-/ready`, 300_000);
      const timings: Timing[] = [];
      for (const query of FLINK_QUERIES) timings.push(await timeQuery(base, query));
      return timings;
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function timeQuery(base: string, query: string): Promise<Timing> {
  const url = `${base}/api/v1/query_range?${new URLSearchParams({ query, start: String(start / 1000), end: String(end / 1000), step: String(STEP / 1000) }).toString()}`;
  let best = Infinity;
  let answer = '';
  for (let i = 0; i < WARMUPS + RUNS; i++) {
    const t0 = performance.now();
    const res = await fetch(url);
    const body = await res.text();
    const ms = performance.now() - t0;
    if (i === 0) answer = describeAnswer(res.status, body);
    if (i >= WARMUPS) best = Math.min(best, ms);
  }
  return { ms: best, answer };
}


const scratch = mkdtempSync(join(tmpdir(), 'pyrometer-promql-bench-'));
try {
  const headDir = join(scratch, 'head');
  await writeHeadDataDir(headDir, series, grid);
  let blocksDir: string | undefined = join(scratch, 'blocks');
  let blocksProblem = promtool.missingReason;
  if (promtool.path !== undefined) {
    try {
      await writeBlocksDataDir(promtool.path, blocksDir, scratch, series, grid);
    } catch (err) {
      blocksProblem = err instanceof Error ? err.message : String(err);
    }
  }
  if (blocksProblem !== undefined) {
    console.log(`TSDB blocks rows skipped: ${blocksProblem}`);
    blocksDir = undefined;
  }
  for (const [storage, dir] of [['TSDB head', headDir], ['TSDB blocks', blocksDir]] as const) {
    if (dir === undefined) continue;
    const ours = await timeServer(process.execPath, [OURS], dir);
    const theirs = prometheus.path === undefined ? undefined : await timeServer(prometheus.path, [], dir);
    for (const [i, query] of FLINK_QUERIES.entries()) {
      const mine = ours[i]!;
      const other = theirs?.[i];
      // Prometheus 3 (whose semantics we follow) made range windows left-open, so a window can hold
      // one sample fewer than 2.42's, which shows where a window meets the data's start or a threshold.
      const same = other === undefined || other.answer === mine.answer ? '' : `; answer differs from 2.42's (${other.answer}): Prometheus 3's left-open range windows`;
      reportBench({
        suite: 'promql',
        case: `${query} — ${storage}`,
        unit: 'ms/query',
        ours: mine.ms,
        ...(other === undefined ? {} : { baseline: { name: 'prometheus 2.42', value: other.ms } }),
        higherIsBetter: false,
        note: `whole server, /api/v1/query_range over the last 50m at 60s, wall time, min of ${RUNS} after ${WARMUPS} warm-ups; Flink ${JOBS} jobs, ${series.length} series, ${HOURS}h at 10s; ${mine.answer}${same}${prometheus.missingReason === undefined ? '' : `; no baseline: ${prometheus.missingReason}`}`,
      });
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
