import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkloadSeries } from '@pyrometer/testkit/bench';
import { writeBlocksDataDir } from './promtool-blocks.js';

const HOUR = 3_600_000;
const BLOCK = 2 * HOUR;

/** The week the issue measured: 2,000 series × 7 days at 60 s of random doubles, in promtool's 2h blocks. */
export const WEEK = {
  metric: 'flink_taskmanager_job_task_operator_numRecordsInPerSecond',
  jobs: 10,
  seriesPerJob: 200,
  startMs: Date.UTC(2024, 0, 1),
  days: 7,
  intervalMs: 60_000,
} as const;

/** The end of the data (the last sample's time), ms. */
export const WEEK_END_MS = WEEK.startMs + WEEK.days * 24 * HOUR - WEEK.intervalMs;

/** A deterministic double in [0, 1000) for sample `i` of series `s` (a 32-bit integer hash). */
function randomDouble(s: number, i: number): number {
  let h = Math.imul(s ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 0x7f4a7c15, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  h ^= h >>> 16;
  const low = Math.imul(h, 0x27d4eb2d) >>> 0;
  return ((h >>> 0) / 4294967296 + low / 4294967296 / 4294967296) * 1000;
}

/** The series of 2h slice `slice` (its sample index 0 is the slice's first minute). */
function sliceSeries(slice: number): WorkloadSeries[] {
  const out: WorkloadSeries[] = [];
  const perBlock = BLOCK / WEEK.intervalMs;
  for (let j = 0; j < WEEK.jobs; j++) {
    for (let k = 0; k < WEEK.seriesPerJob; k++) {
      const s = j * WEEK.seriesPerJob + k;
      const labels = { __name__: WEEK.metric, job: 'flink', job_name: `job${j}`, task_name: `task_${k % 10}`, subtask_index: String(Math.floor(k / 10)), host: `tm-${j}-${k % 4}` };
      out.push({ labels, value: (i) => randomDouble(s, slice * perBlock + i) });
    }
  }
  return out;
}

/**
 * The week's data directory, made once by Debian's promtool (`tsdb create-blocks-from
 * openmetrics`, one 2h slice per run: promtool re-reads its whole input for every block it cuts)
 * and cached under the OS temp directory between runs. Returns its path.
 */
export async function weekOfBlocks(promtool: string): Promise<string> {
  const cache = join(tmpdir(), 'pyrometer-bench-cache', `week-of-blocks-${WEEK.jobs * WEEK.seriesPerJob}x${WEEK.days}d-v1`);
  if (existsSync(join(cache, 'complete'))) return join(cache, 'data');
  rmSync(cache, { recursive: true, force: true });
  const building = `${cache}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  const data = join(building, 'data');
  mkdirSync(data, { recursive: true });
  const slices = (WEEK.days * 24 * HOUR) / BLOCK;
  console.log(`making a week of blocks with promtool (${slices} blocks, cached in ${cache})…`);
  for (let slice = 0; slice < slices; slice++) {
    const grid = { startMs: WEEK.startMs + slice * BLOCK, intervalMs: WEEK.intervalMs, samples: BLOCK / WEEK.intervalMs };
    await writeBlocksDataDir(promtool, data, building, sliceSeries(slice), grid);
  }
  const made = readdirSync(data).filter((n) => /^[0-9A-Z]{26}$/.test(n)).length;
  if (made !== slices) throw new Error(`promtool made ${made} blocks, expected ${slices}`);
  writeFileSync(join(building, 'complete'), `${made} blocks\n`);
  mkdirSync(join(cache, '..'), { recursive: true });
  renameSync(building, cache);
  return join(cache, 'data');
}
