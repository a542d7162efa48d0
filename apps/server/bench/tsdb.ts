// The TSDB's whole-binary figures (issue 16): a week of blocks (2,000 series × 7 days at 60 s of
// random doubles, made by Debian's promtool, cached between runs) given to our server binary and to
// Debian's Prometheus 2.42, each on its own copy. Per server: RSS after start, each dashboard
// query's latency through /api/v1/query_range (as Grafana asks; ours answers through its query
// workers), and RSS after the queries; RSS is the whole process's (workers are threads of it).
// Our empty server's RSS after start is measured too (goal: the week costs at most 30 MiB more).
// Block compaction is off on both (max block duration 2h), so neither rewrites the blocks while
// being measured. `pnpm bench tsdb` runs this before the package's own figures.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, peer, reportBench, processRssBytes, waitForHttp } from '@pyrometer/testkit/bench';
import { WEEK, WEEK_END_MS, weekOfBlocks } from './week-blocks.js';
import { describeAnswer } from './query-answer.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RUNS = Number(process.env['PYROMETER_BENCH_TSDB_RUNS'] ?? '3');
const SETTLE_MS = 5_000;
const MIB = 1024 * 1024;
const OURS = join(import.meta.dirname, '../dist/main.js');
if (!existsSync(OURS)) throw new Error(`${OURS} is missing: build first (pnpm run build)`);

const M = WEEK.metric;
/** The dashboard queries: expression, range and step, as a week-long Grafana panel asks them. */
const QUERIES = [
  { query: `sum by (job_name) (rate(${M}[1h]))`, days: 8, stepMs: HOUR },
  { query: `max_over_time(${M}{job_name="job3"}[1h])`, days: 7, stepMs: 10 * 60_000 },
  { query: `avg by (task_name) (${M})`, days: 7, stepMs: 10 * 60_000 },
  { query: `quantile by (job_name) (0.9, avg_over_time(${M}[6h]))`, days: 7, stepMs: HOUR },
] as const;

interface ServerFigures {
  rssStart: number;
  rssAfter: number;
  /** Best wall time per query (ms), and what it answered. */
  queries: { ms: number; answer: string }[];
}

/** Starts a server on a copy of `dataDir` (or an empty one), measures it, stops it. */
async function measure(command: string, args: string[], dataDir: string | undefined, withQueries: boolean): Promise<ServerFigures> {
  const work = mkdtempSync(join(tmpdir(), 'pyrometer-tsdb-bench-'));
  try {
    const data = join(work, 'data');
    if (dataDir === undefined) mkdirSync(data);
    else cpSync(dataDir, data, { recursive: true });
    writeFileSync(join(work, 'prometheus.yml'), 'global: {}\n');
    const port = await freePort();
    const flags = [
      `--config.file=${join(work, 'prometheus.yml')}`,
      `--storage.tsdb.path=${data}`,
      '--storage.tsdb.retention.time=100y',
      '--storage.tsdb.max-block-duration=2h',
      `--web.listen-address=127.0.0.1:${port}`,
      '--query.max-samples=500000000',
      '--query.timeout=10m',
    ];
    const child = spawn(command, [...args, ...flags], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitForHttp(`${base}/-/ready`, 300_000);
      await sleep(SETTLE_MS);
      const rssStart = processRssBytes(child.pid!) / MIB;
      const queries = [];
      if (withQueries) for (const q of QUERIES) queries.push(await timeQuery(base, q));
      return { rssStart, rssAfter: processRssBytes(child.pid!) / MIB, queries };
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function timeQuery(base: string, q: (typeof QUERIES)[number]): Promise<{ ms: number; answer: string }> {
  const params = new URLSearchParams({ query: q.query, start: String((WEEK_END_MS - q.days * DAY) / 1000), end: String(WEEK_END_MS / 1000), step: String(q.stepMs / 1000) });
  let best = Infinity;
  let answer = '';
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const res = await fetch(`${base}/api/v1/query_range?${params.toString()}`);
    const body = await res.text();
    best = Math.min(best, performance.now() - t0);
    if (i === 0) answer = describeAnswer(res.status, body);
  }
  return { ms: best, answer };
}


const promtool = peer('promtool', 'prometheus');
const prometheus = peer('prometheus', 'prometheus');
if (promtool.path === undefined) {
  console.log(`week-of-blocks rows skipped: ${promtool.missingReason}`);
} else {
  const week = await weekOfBlocks(promtool.path);
  const empty = await measure(process.execPath, [OURS], undefined, false);
  const ours = await measure(process.execPath, [OURS], week, true);
  const theirs = prometheus.path === undefined ? undefined : await measure(prometheus.path, [], week, true);
  const data = `${WEEK.jobs * WEEK.seriesPerJob} series × ${WEEK.days}d at 60s, random doubles, promtool's 2h blocks`;
  const baseline = (value: number | undefined) => (value === undefined ? {} : { baseline: { name: 'prometheus 2.42', value } });
  const noBaseline = prometheus.missingReason === undefined ? '' : `; no baseline: ${prometheus.missingReason}`;
  reportBench({
    suite: 'tsdb',
    case: 'week of blocks: RSS after start',
    unit: 'MiB',
    ours: ours.rssStart,
    ...baseline(theirs?.rssStart),
    higherIsBetter: false,
    note: `whole process ${SETTLE_MS / 1000}s after ready; our empty server: ${empty.rssStart.toFixed(0)} MiB (the week adds ${(ours.rssStart - empty.rssStart).toFixed(0)}); ${data}${noBaseline}`,
  });
  reportBench({
    suite: 'tsdb',
    case: 'week of blocks: RSS after the dashboard queries',
    unit: 'MiB',
    ours: ours.rssAfter,
    ...baseline(theirs?.rssAfter),
    higherIsBetter: false,
    note: `whole process (query workers included) after ${QUERIES.length} queries × ${RUNS} runs; ${data}${noBaseline}`,
  });
  for (const [i, q] of QUERIES.entries()) {
    const mine = ours.queries[i]!;
    const other = theirs?.queries[i];
    const same = other === undefined || other.answer === mine.answer ? '' : `; answer differs from 2.42's (${other.answer})`;
    reportBench({
      suite: 'tsdb',
      case: `week of blocks: ${q.query} (${q.days}d, step ${q.stepMs / 60_000}m)`,
      unit: 'ms/query',
      ours: mine.ms,
      ...baseline(other?.ms),
      higherIsBetter: false,
      note: `whole server, /api/v1/query_range, wall time, min of ${RUNS}; ${mine.answer}${same}; ${data}${noBaseline}`,
    });
  }
}
