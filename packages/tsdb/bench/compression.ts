import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportBench } from '@pyrometer/testkit/bench';
import { Tsdb } from '../src/db/db.js';
import { dirSize } from '../src/db/blocks.js';
import { flinkSeries, flinkValue, scratch, SUITE } from './util.js';

const H = 3_600_000;

/** Chunk bytes per sample over every block in `dir`, and the sample count. */
function chunkBytesPerSample(dir: string, metas: { ulid: string; stats: { numSamples: number } }[]): number {
  let bytes = 0;
  let samples = 0;
  for (const m of metas) {
    bytes += dirSize(join(dir, m.ulid, 'chunks'));
    samples += m.stats.numSamples;
  }
  return bytes / samples;
}

/**
 * Bytes per sample of the chunks of compacted blocks on Flink-shaped data (10 s scrapes with aligned
 * timestamps, as Prometheus ≥ 2.43 stores them within its 2 ms tolerance, over 6h,
 * cut into 2h blocks and compacted into one 6h block), beside promtool's blocks for the same samples
 * (`promtool tsdb create-blocks-from openmetrics`, i.e. Prometheus 2.42's own chunk writer).
 */
export async function benchCompression(promtool: string | undefined, seriesCount = 200): Promise<void> {
  const { dir, done } = scratch();
  const t0 = 1_700_006_400_000;
  const steps = (10 * H) / 10_000;
  const labels = flinkSeries(seriesCount);
  const db = await Tsdb.open(join(dir, 'ours'), { compactionInterval: 0, retentionDuration: 0, now: () => t0 + 11 * H });
  // OpenMetrics wants each family's lines together: collect per series, print grouped by name.
  const lines: string[][] = labels.map(() => []);
  const heads = labels.map((l) => `${l.metricName}{${l.without('__name__').toFlat().reduce((acc, x, j, a) => (j % 2 === 0 ? [...acc, `${x}="${a[j + 1]}"`] : acc), [] as string[]).join(',')}}`);
  for (let k = 0; k < steps; k++) {
    const app = db.appender();
    for (let i = 0; i < seriesCount; i++) {
      const t = t0 + k * 10_000;
      const v = flinkValue(i, k);
      app.append(0, labels[i]!, t, v);
      if (k < (6 * H) / 10_000) lines[i]!.push(`${heads[i]} ${v} ${t / 1000}`);
    }
    await app.commit();
  }
  await db.compact();
  const compacted = db.blockMetas().filter((m) => m.compaction.level > 1);
  const ours = chunkBytesPerSample(join(dir, 'ours'), compacted);
  await db.close();
  let baseline: { name: string; value: number } | undefined;
  let note = `${seriesCount} series, 6h compacted block; goal ≤ 1.5 (Gorilla paper: 1.37)`;
  if (promtool !== undefined) {
    const input = join(dir, 'input.om');
    const order = labels.map((_, i) => i).sort((a, b) => (heads[a]! < heads[b]! ? -1 : 1));
    writeFileSync(input, order.map((i) => lines[i]!.join('\n')).join('\n') + '\n# EOF\n');
    const theirs = join(dir, 'theirs');
    mkdirSync(theirs);
    execFileSync(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=6h', input, theirs], { stdio: 'ignore' });
    const metas = readdirSync(theirs).map((ulid) => ({ ulid, stats: JSON.parse(execFileSync('cat', [join(theirs, ulid, 'meta.json')]).toString()).stats as { numSamples: number } }));
    baseline = { name: 'promtool 2.42 blocks', value: chunkBytesPerSample(theirs, metas) };
  } else note += '; promtool not installed, no baseline';
  reportBench({ suite: SUITE, case: 'chunk bytes per sample, Flink-shaped data', unit: 'bytes/sample', ours, ...(baseline === undefined ? {} : { baseline }), higherIsBetter: false, note });
  done();
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCompression('/usr/bin/promtool');
