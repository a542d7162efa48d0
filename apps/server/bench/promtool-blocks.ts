// Blocks made by Debian's promtool from a workload's samples, for the benchmarks that give both
// servers the same blocks (bench/tsdb.ts's week of blocks).
import { spawnSync } from 'node:child_process';
import { createWriteStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkloadSeries } from '@pyrometer/testkit/bench';
import type { SampleGrid } from './dashboard-workload.js';

/**
 * A data directory of blocks made by `promtool tsdb create-blocks-from openmetrics` from the same
 * samples (promtool's own block writer, so neither server reads blocks the other wrote).
 * Throws promtool's message when it fails; bounded to 5 minutes.
 */
export async function writeBlocksDataDir(promtool: string, dir: string, scratch: string, series: readonly WorkloadSeries[], grid: SampleGrid): Promise<void> {
  const file = join(scratch, 'samples.om.txt');
  await writeOpenMetrics(file, series, grid);
  const conversion = spawnSync(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, dir], { encoding: 'utf8', timeout: 300_000 });
  rmSync(file, { force: true });
  if (conversion.status !== 0) throw new Error(`promtool failed: ${conversion.stderr || conversion.error?.message}`);
}

/** Escapes a label value for the text formats. */
function escapeValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Writes the samples as an OpenMetrics file (metric families contiguous), timestamps in seconds. */
async function writeOpenMetrics(path: string, series: readonly WorkloadSeries[], grid: SampleGrid): Promise<void> {
  const byName = new Map<string, WorkloadSeries[]>();
  for (const s of series) {
    const name = s.labels['__name__']!;
    let list = byName.get(name);
    if (list === undefined) byName.set(name, (list = []));
    list.push(s);
  }
  const out = createWriteStream(path);
  const write = (chunk: string): Promise<void> => new Promise((resolve) => (out.write(chunk) ? resolve() : out.once('drain', resolve)));
  for (const [name, list] of byName) {
    for (const s of list) {
      const labels = Object.entries(s.labels)
        .filter(([n]) => n !== '__name__')
        .map(([n, v]) => `${n}="${escapeValue(v)}"`);
      const head = `${name}{${labels.join(',')}} `;
      let chunk = '';
      for (let i = 0; i < grid.samples; i++) chunk += `${head}${s.value(i)} ${(grid.startMs + i * grid.intervalMs) / 1000}\n`;
      await write(chunk);
    }
  }
  await write('# EOF\n');
  await new Promise<void>((resolve) => out.end(resolve));
}
