// Interop proof for the block format: Debian's promtool (Prometheus 2.42) reads blocks we write,
// and we read blocks promtool writes.
import { Labels } from '@pyrometer/model';
import { ValueType } from '@pyrometer/storage';
import { peer, tempDir } from '@pyrometer/testkit';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openBlock, writeBlock, writeBlockTombstones, XorChunk, XorIterator, type BlockSeries } from '../src/format/index.js';

const run = promisify(execFile);
const promtool = peer('promtool', 'prometheus');

interface Sample {
  t: number;
  v: number;
  stale?: boolean;
}

/** Parses a float as Go prints it (promtool dump uses strconv 'g' formatting). */
function parseGoFloat(s: string): number {
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

/** Splits samples into chunks of at most 120, as the head cuts them. */
function toChunks(samples: Sample[]): BlockSeries['chunks'] {
  const chunks = [];
  for (let i = 0; i < samples.length; i += 120) {
    const part = samples.slice(i, i + 120);
    const c = XorChunk.create();
    const app = c.appender();
    for (const s of part) app.append(s.t, s.v, s.stale ?? false);
    chunks.push({ mint: part[0]!.t, maxt: part.at(-1)!.t, bytes: c.bytes() });
  }
  return chunks;
}

const T0 = 1_700_000_000_000;
const SPECIAL = [NaN, Infinity, -Infinity, -0, 5e-324, 1.7976931348623157e308, 0.1, -123.456];

function ourData(): { labels: Labels; samples: Sample[] }[] {
  const out: { labels: Labels; samples: Sample[] }[] = [];
  for (let i = 0; i < 12; i++) {
    const samples: Sample[] = [];
    for (let k = 0; k < 300; k++) {
      const t = T0 + k * 15_000 + (k % 7 === 0 ? 3 : 0);
      if (k === 150) samples.push({ t, v: 0, stale: true });
      else samples.push({ t, v: i === 0 ? SPECIAL[k % SPECIAL.length]! : i * 1000 + k * 0.25 });
    }
    out.push({ labels: Labels.from({ __name__: i % 3 === 0 ? 'flink_taskmanager_load' : 'node_cpu_seconds_total', cpu: String(i), path: 'a\\b"c\nd', job: 'interop' }), samples });
  }
  return out;
}

describe.skipIf(promtool.missingReason !== undefined)(`promtool reads our blocks ${promtool.missingReason ?? ''}`, () => {
  it('lists, analyzes and dumps exactly the samples we wrote', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, 'wal'));
    const data = ourData();
    const mint = data[0]!.samples[0]!.t;
    const maxt = T0 + 300 * 15_000;
    const ulid = await writeBlock(dataDir, { mint, maxt, series: data.map((d) => ({ labels: d.labels, chunks: toChunks(d.samples) })) });

    const list = await run(promtool.path!, ['tsdb', 'list', dataDir]);
    const row = list.stdout.split('\n').find((l) => l.startsWith(ulid));
    expect(row, list.stdout).toBeDefined();
    // ULID, min, max, duration, samples, chunks, series, size
    const cols = row!.trim().split(/\s+/);
    expect(cols.slice(0, 3)).toEqual([ulid, String(mint), String(maxt)]);
    expect(cols.slice(4, 7)).toEqual([String(12 * 300), String(12 * 3), '12']);

    const analyze = await run(promtool.path!, ['tsdb', 'analyze', '--extended', dataDir, ulid]);
    expect(analyze.stdout).toContain(`Block ID: ${ulid}`);
    expect(analyze.stdout).toContain('Series: 12');
    expect(analyze.stdout).toContain('Label names: 4');
    expect(analyze.stdout).toMatch(/Postings \(unique label pairs\): 16/);
    expect(analyze.stdout).toMatch(/Fullness: Amount of samples in chunks/);

    const dump = await run(promtool.path!, ['tsdb', 'dump', dataDir], { maxBuffer: 64 * 1024 * 1024 });
    const got = dump.stdout
      .trim()
      .split('\n')
      .map((line) => {
        const sp2 = line.lastIndexOf(' ');
        const sp1 = line.lastIndexOf(' ', sp2 - 1);
        return { series: line.slice(0, sp1), v: parseGoFloat(line.slice(sp1 + 1, sp2)), t: Number(line.slice(sp2 + 1)) };
      });
    const want = [...data]
      .sort((a, b) => Labels.compare(a.labels, b.labels))
      .flatMap((d) => d.samples.map((s) => ({ series: d.labels.toString(), v: s.stale === true ? NaN : s.v, t: s.t })));
    expect(got.length).toBe(want.length);
    got.forEach((g, i) => {
      const w = want[i]!;
      expect(g.series).toBe(w.series);
      expect(g.t).toBe(w.t);
      expect(Object.is(g.v, w.v), `${g.series} @${g.t}: ${g.v} vs ${w.v}`).toBe(true);
    });

    // Deleting through our tombstones file: promtool's querier must hide the interval.
    const block = await openBlock(join(dataDir, ulid));
    const ref = block.postings('cpu', '5')[0]!;
    const victim = block.series(ref).labels.toString();
    writeBlockTombstones(join(dataDir, ulid), new Map([[ref, [{ mint: T0, maxt: T0 + 100 * 15_000 }]]]));
    const after = await run(promtool.path!, ['tsdb', 'dump', dataDir], { maxBuffer: 64 * 1024 * 1024 });
    const victimLines = after.stdout.split('\n').filter((l) => l.startsWith(`${victim} `));
    expect(victimLines.length).toBe(300 - 101);
    expect(after.stdout.trim().split('\n').length).toBe(want.length - 101);
  });
});

/** An OpenMetrics value as Go parses it back exactly. */
function omValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Object.is(v, -0)) return '-0.0';
  return String(v);
}

describe.skipIf(promtool.missingReason !== undefined)(`we read blocks promtool writes ${promtool.missingReason ?? ''}`, () => {
  it('reads every sample of blocks made by create-blocks-from openmetrics, and re-encodes every chunk to the same bytes', async () => {
    const dir = tempDir();
    const series: { labels: Record<string, string>; samples: Sample[] }[] = [];
    const lines: string[] = [];
    for (const [family, type] of [
      ['flink_jobmanager_numRunningJobs', 'gauge'],
      ['http_requests', 'counter'],
    ] as const) {
      lines.push(`# TYPE ${family} ${type}`);
      for (let i = 0; i < 4; i++) {
        const labels: Record<string, string> = { __name__: type === 'counter' ? `${family}_total` : family, instance: `host-${i}:9249`, quoted: `x"y\\z` };
        const samples: Sample[] = [];
        // 1000 samples 15 s apart span ~4 h, so promtool cuts several 2 h blocks.
        for (let k = 0; k < 1000; k++) {
          const t = T0 + k * 15_000 + i * 1_000 + (k % 5);
          const v = type === 'counter' ? k * 3 + i : i === 0 ? SPECIAL[k % SPECIAL.length]! : Math.sin(k / 10) * 1e6 + i;
          samples.push({ t, v });
          lines.push(`${labels.__name__}{instance="${labels.instance}",quoted="x\\"y\\\\z"} ${omValue(v)} ${(t / 1000).toFixed(3)}`);
        }
        series.push({ labels, samples });
      }
    }
    lines.push('# EOF', '');
    writeFileSync(join(dir, 'input.om'), lines.join('\n'));
    const out = join(dir, 'blocks');
    await run(promtool.path!, ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'input.om'), out]);
    const blocks = readdirSync(out);
    expect(blocks.length).toBeGreaterThan(1);

    const got = new Map<string, Sample[]>();
    const it = new XorIterator();
    let metaSamples = 0;
    let reencoded = 0;
    let metaChunks = 0;
    for (const name of blocks.sort()) {
      const block = await openBlock(join(out, name));
      metaSamples += block.meta.stats.numSamples;
      metaChunks += block.meta.stats.numChunks;
      for (const ref of block.allPostings()) {
        const s = block.series(ref);
        const key = JSON.stringify(s.labels.toRecord());
        const samples = got.get(key) ?? [];
        for (const meta of s.chunks) {
          const chunk = block.chunk(meta.ref);
          expect(chunk.encoding).toBe(1);
          it.reset(chunk.data);
          const mine = XorChunk.create();
          const app = mine.appender();
          while (it.next() === ValueType.Float) {
            samples.push({ t: it.atT(), v: it.atF() });
            app.append(it.atT(), it.atF());
          }
          expect(it.err()).toBeUndefined();
          // Re-encoding the same samples gives the bytes Prometheus wrote.
          expect(Buffer.from(mine.bytes()).toString('hex'), key).toBe(Buffer.from(chunk.data).toString('hex'));
          reencoded++;
          expect(samples.at(-1)!.t).toBe(meta.maxt);
        }
        got.set(key, samples);
      }
    }
    expect(metaSamples).toBe(8 * 1000);
    expect(reencoded).toBe(metaChunks);
    expect(got.size).toBe(series.length);
    for (const s of series) {
      const samples = got.get(JSON.stringify(Labels.from(s.labels).toRecord()));
      expect(samples?.length).toBe(s.samples.length);
      samples!.forEach((g, k) => {
        expect(g.t).toBe(s.samples[k]!.t);
        expect(Object.is(g.v, s.samples[k]!.v), `${JSON.stringify(s.labels)} @${g.t}`).toBe(true);
      });
    }
  }, 60_000);
});
