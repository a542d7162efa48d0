// Benchmarks of the on-disk format codecs (src/format). Run alone with
// `npx tsx --conditions=source packages/tsdb/bench/format.ts`, or import `runFormatBench` from
// bench/index.ts. No upstream binary runs these codecs in isolation, so there is no baseline
// column; the reference figures from ARCHITECTURE.md are quoted in the notes.
import { crc32c } from '@pyrometer/codec';
import { Labels } from '@pyrometer/model';
import { ValueType } from '@pyrometer/storage';
import { reportBench } from '@pyrometer/testkit/bench';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSamples, EncodeBuffer, openBlock, readWal, SegmentWriter, writeBlock, XorChunk, XorIterator, type BlockSeries, type WalSample } from '../src/format/index.js';

const SUITE = 'tsdb/format';

/**
 * Milliseconds of CPU time (user + system) per call of `fn`. CPU time rather than wall time: the
 * benchmark machine is shared, and wall time would mostly measure the other processes.
 */
function timeIt(fn: () => void, minMs = 300): number {
  fn();
  let iterations = 0;
  const start = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < minMs) {
    fn();
    iterations++;
    const d = process.cpuUsage(start);
    elapsed = (d.user + d.system) / 1000;
  }
  return elapsed / iterations;
}

function cpuMs(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

/** Scrape-like data: 15 s interval with a few ms of jitter; a counter and a gauge. */
function scrapeSeries(n: number, kind: 'counter' | 'gauge'): { t: number[]; v: number[] } {
  const t: number[] = [];
  const v: number[] = [];
  let ts = 1_700_000_000_000;
  let c = 0;
  for (let i = 0; i < n; i++) {
    ts += 15_000 + ((i * 7919) % 11) - 5;
    c += (i * 31) % 17;
    t.push(ts);
    v.push(kind === 'counter' ? c : Math.round(Math.sin(i / 20) * 1000) / 10);
  }
  return { t, v };
}

export async function runFormatBench(): Promise<void> {
  for (const kind of ['counter', 'gauge'] as const) {
    const { t, v } = scrapeSeries(120, kind);
    let bytes = 0;
    const encodeMs = timeIt(() => {
      for (let k = 0; k < 100; k++) {
        const c = XorChunk.create();
        const app = c.appender();
        for (let i = 0; i < 120; i++) app.append(t[i]!, v[i]!);
        bytes = c.bytes().length;
      }
    });
    reportBench({ suite: SUITE, case: `XOR encode, 120-sample ${kind} chunk`, unit: 'ns/sample', ours: (encodeMs * 1e6) / 12_000, higherIsBetter: false, note: 'budget 5–50 ns/sample' });
    reportBench({ suite: SUITE, case: `XOR size, ${kind} chunk`, unit: 'bytes/sample', ours: bytes / 120, higherIsBetter: false, note: 'Gorilla: 1–2 bytes/sample' });
    const c = XorChunk.create();
    const app = c.appender();
    for (let i = 0; i < 120; i++) app.append(t[i]!, v[i]!);
    const it = new XorIterator();
    let sink = 0;
    const decodeMs = timeIt(() => {
      for (let k = 0; k < 100; k++) {
        it.reset(c.bytes());
        while (it.next() === ValueType.Float) sink += it.atF();
      }
    });
    if (sink === 42) console.log('');
    reportBench({ suite: SUITE, case: `XOR decode, 120-sample ${kind} chunk`, unit: 'ns/sample', ours: (decodeMs * 1e6) / 12_000, higherIsBetter: false });
  }

  const data = new Uint8Array(4 << 20).map((_, i) => (i * 2654435761) >>> 24);
  const crcMs = timeIt(() => crc32c(data));
  reportBench({ suite: SUITE, case: 'CRC32C (slicing-by-8), 4 MiB', unit: 'MB/s', ours: data.length / 1e6 / (crcMs / 1000), higherIsBetter: true, note: 'plain JS reference ~400 MB/s' });

  const dir = mkdtempSync(join(tmpdir(), 'pyrometer-format-bench-'));
  try {
    const batch: WalSample[] = Array.from({ length: 1000 }, (_, i) => ({ ref: i + 1, t: 1_700_000_000_000 + (i % 3), v: i * 1.5 }));
    const w = SegmentWriter.open(join(dir, 'wal'));
    const buf = new EncodeBuffer(32 * 1024);
    let walBytes = 0;
    const rounds = 2000;
    const start = process.cpuUsage();
    for (let r = 0; r < rounds; r++) {
      const rec = encodeSamples(batch, buf);
      walBytes += rec.length;
      w.log([rec]);
    }
    const walMs = cpuMs(start);
    w.close();
    reportBench({ suite: SUITE, case: 'WAL samples: encode + log (1000/record, no fsync)', unit: 'ns/sample', ours: (walMs * 1e6) / (rounds * 1000), higherIsBetter: false });
    reportBench({ suite: SUITE, case: 'WAL samples record size', unit: 'bytes/sample', ours: walBytes / (rounds * 1000), higherIsBetter: false, note: 'Prometheus ~13 bytes/sample' });
    let n = 0;
    const readStart = process.cpuUsage();
    readWal(join(dir, 'wal'), () => n++);
    reportBench({ suite: SUITE, case: 'WAL read (framing + CRC)', unit: 'MB/s', ours: walBytes / 1e6 / (cpuMs(readStart) / 1000), higherIsBetter: true, note: `${n} records` });

    const series: BlockSeries[] = [];
    const { t, v } = scrapeSeries(120, 'counter');
    for (let s = 0; s < 10_000; s++) {
      const c = XorChunk.create();
      const a = c.appender();
      for (let i = 0; i < 120; i++) a.append(t[i]!, v[i]! + s);
      series.push({ labels: Labels.from({ __name__: `metric_${s % 100}`, instance: `host-${s % 37}:9100`, series: String(s) }), chunks: [{ mint: t[0]!, maxt: t[119]!, bytes: c.bytes() }] });
    }
    const blockStart = process.cpuUsage();
    const ulid = await writeBlock(dir, { mint: t[0]!, maxt: t[119]! + 1, series });
    const writeMs = cpuMs(blockStart);
    reportBench({ suite: SUITE, case: 'writeBlock, 10k series × 120 samples', unit: 'µs/series', ours: (writeMs * 1000) / 10_000, higherIsBetter: false });
    const openStart = process.cpuUsage();
    const block = await openBlock(join(dir, ulid));
    const it = new XorIterator();
    let samples = 0;
    for (const ref of block.allPostings()) {
      for (const m of block.series(ref).chunks) {
        it.reset(block.chunk(m.ref).data);
        while (it.next() === ValueType.Float) samples++;
      }
    }
    const readMs = cpuMs(openStart);
    reportBench({ suite: SUITE, case: 'openBlock + read every sample, 10k series', unit: 'ns/sample', ours: (readMs * 1e6) / samples, higherIsBetter: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runFormatBench();
