import { Labels } from '@pyrometer/model';
import { ValueType } from '@pyrometer/storage';
import { tempDir } from '@pyrometer/testkit';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { XorChunk } from '../chunkenc/xor-chunk.js';
import { XorIterator } from '../chunkenc/xor-iterator.js';
import { writeBlockTombstones } from '../tombstones.js';
import { UlidGenerator, ulidTime } from '../ulid.js';
import { PageCache } from '../io/page-cache.js';
import { openBlock } from './block-reader.js';
import { writeBlock, type BlockSeries } from './block-writer.js';

const GOLDEN_ULID = '01M884X2YQMZ6BN3YXS1SE5PKB';
const goldenDir = fileURLToPath(new URL(`../../../testdata/blocks/promtool-gauge/${GOLDEN_ULID}/`, import.meta.url));

/** A generator that yields exactly `ulid` first (its time, and its random part as the random bytes). */
function fixedUlid(ulid: string): UlidGenerator {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let bits = 0n;
  for (const ch of ulid) bits = (bits << 5n) | BigInt(alphabet.indexOf(ch));
  const random = Uint8Array.from({ length: 10 }, (_, i) => Number((bits >> BigInt(8 * (9 - i))) & 0xffn));
  return new UlidGenerator({ now: () => ulidTime(ulid)!, random: (b) => b.set(random) });
}

function goldenSamples(): { t: number; v: number }[] {
  return readFileSync(join(goldenDir, '../input.om'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('g{'))
    .map((l) => {
      const [, v, ts] = l.split(' ');
      return { t: Math.round(Number(ts) * 1000), v: v === '+Inf' ? Infinity : Number(v) };
    });
}

function chunkOf(samples: { t: number; v: number }[]): { mint: number; maxt: number; bytes: Uint8Array } {
  const c = XorChunk.create();
  const app = c.appender();
  for (const s of samples) app.append(s.t, s.v);
  return { mint: samples[0]!.t, maxt: samples.at(-1)!.t, bytes: c.bytes() };
}

describe('blocks against Prometheus', () => {
  it('writes the same index, chunks and tombstones bytes promtool wrote for the same data', async () => {
    const parent = tempDir();
    const samples = goldenSamples();
    const ulid = await writeBlock(parent, {
      mint: samples[0]!.t,
      maxt: samples.at(-1)!.t + 1,
      series: [{ labels: Labels.from({ __name__: 'g', a: 'b' }), chunks: [chunkOf(samples)] }],
      ulids: fixedUlid(GOLDEN_ULID),
    });
    expect(ulid).toBe(GOLDEN_ULID);
    for (const file of ['index', 'chunks/000001', 'tombstones']) {
      expect(readFileSync(join(parent, ulid, file)).toString('hex'), file).toBe(readFileSync(join(goldenDir, file)).toString('hex'));
    }
    expect(JSON.parse(readFileSync(join(parent, ulid, 'meta.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(join(goldenDir, 'meta.json'), 'utf8')));
    expect(readdirSync(parent)).toEqual([ulid]);
  });

  it('reads the block promtool wrote', async () => {
    const block = await openBlock(goldenDir);
    expect(block.meta).toMatchObject({ ulid: GOLDEN_ULID, minTime: 1700000000123, maxTime: 1700000135124, stats: { numSamples: 10, numSeries: 1, numChunks: 1 } });
    expect(block.labelNames()).toEqual(['__name__', 'a']);
    expect(block.labelValues('__name__')).toEqual(['g']);
    const refs = block.postings('__name__', 'g');
    expect(Array.from(refs)).toEqual(Array.from(block.allPostings()));
    const s = block.series(refs[0]!);
    expect(s.labels.toRecord()).toEqual({ __name__: 'g', a: 'b' });
    expect(s.chunks).toEqual([{ mint: 1700000000123, maxt: 1700000135123, ref: 8 }]);
    const it = new XorIterator();
    it.reset(block.chunk(8).data);
    const got: { t: number; v: number }[] = [];
    while (it.next() === ValueType.Float) got.push({ t: it.atT(), v: it.atF() });
    expect(got).toEqual(goldenSamples());
    expect(block.tombstones.size).toBe(0);
  });
});

describe('block round trip', () => {
  function makeSeries(n: number, chunksPer: number): BlockSeries[] {
    const out: BlockSeries[] = [];
    for (let i = n - 1; i >= 0; i--) {
      const chunks = [];
      for (let c = 0; c < chunksPer; c++) {
        const samples = Array.from({ length: 120 }, (_, k) => ({ t: (c * 120 + k) * 15_000, v: i * 1000 + c * 120 + k }));
        chunks.push(chunkOf(samples));
      }
      out.push({ labels: Labels.from({ __name__: i % 2 === 0 ? 'even' : 'odd', i: String(i), job: 'j' }), chunks });
    }
    return out;
  }

  it.each([
    { name: 'the default page cache', cache: () => undefined },
    // Pages of 512 bytes in a 4 KiB budget: every structure spans pages and pages are evicted mid-read.
    { name: 'tiny pages', cache: () => new PageCache(4096, 512) },
  ])('reads back every series, posting, chunk and tombstone, across chunk segments, by position through $name', async ({ cache }) => {
    const parent = tempDir();
    const series = makeSeries(50, 3);
    const ulid = await writeBlock(parent, { mint: 0, maxt: 360 * 15_000, series, chunkSegmentSize: 4096, compaction: { level: 2, sources: ['A', 'B'] } });
    expect(readdirSync(join(parent, ulid, 'chunks')).length).toBeGreaterThan(3);
    const block = await openBlock(join(parent, ulid), cache());
    // More than 32 values and symbols: the sampled symbol and postings tables are read forward from their samples.
    for (let i = 0; i < 50; i++) expect(Array.from(block.postings('i', String(i))).map((r) => block.series(r).labels.get('i'))).toEqual([String(i)]);
    expect(block.postings('i', '100').length).toBe(0);
    expect(block.postings('i', '').length).toBe(0);
    expect(block.meta.stats).toEqual({ numSamples: 50 * 3 * 120, numSeries: 50, numChunks: 150 });
    expect(block.meta.compaction).toEqual({ level: 2, sources: ['A', 'B'] });
    expect(block.labelNames()).toEqual(['__name__', 'i', 'job']);
    expect(block.labelValues('i')).toEqual(Array.from({ length: 50 }, (_, i) => String(i)).sort());
    expect(block.postings('__name__', 'even').length).toBe(25);
    expect(block.postings('__name__', 'missing').length).toBe(0);
    expect(block.postings('nope', 'x').length).toBe(0);
    const refs = Array.from(block.allPostings());
    expect(refs.length).toBe(50);
    const labels = refs.map((r) => block.series(r).labels);
    const sorted = [...labels].sort(Labels.compare);
    expect(labels.map(String)).toEqual(sorted.map(String));
    for (const ref of refs) {
      const s = block.series(ref);
      const want = series.find((x) => x.labels.equals(s.labels))!;
      expect(s.chunks.map((c) => [c.mint, c.maxt])).toEqual(want.chunks.map((c) => [c.mint, c.maxt]));
      s.chunks.forEach((c, k) => expect(Buffer.from(block.chunk(c.ref).data).equals(Buffer.from(want.chunks[k]!.bytes))).toBe(true));
    }
    expect(block.tombstones.size).toBe(0);
    const tombstones = new Map([
      [refs[3]!, [{ mint: 0, maxt: 1000 }, { mint: 5000, maxt: 6000 }]],
      [refs[0]!, [{ mint: -5, maxt: 2 ** 40 }]],
    ]);
    writeBlockTombstones(join(parent, ulid), tombstones);
    expect((await openBlock(join(parent, ulid))).tombstones).toEqual(tombstones);
  });

  it.each([
    { name: 'a series entry', file: 'index', at: (buf: Buffer) => Math.ceil(buf.readUInt32BE(buf.length - 52 + 12) / 16) * 16 + 3, want: /corrupt index .* (checksum mismatch|series)/ },
    { name: 'a chunk', file: 'chunks/000001', at: () => 40, want: /corrupt chunk segment 0 .* at offset 8: chunk checksum mismatch/ },
  ])('detects a flipped byte in $name', async ({ file, at, want }) => {
    const parent = tempDir();
    const ulid = await writeBlock(parent, { mint: 0, maxt: 10_000_000, series: makeSeries(4, 1) });
    const path = join(parent, ulid, file);
    const buf = readFileSync(path);
    buf[at(buf)]! ^= 0x01;
    writeFileSync(path, buf);
    const read = async () => {
      const block = await openBlock(join(parent, ulid));
      for (const ref of block.allPostings()) for (const c of block.series(ref).chunks) block.chunk(c.ref);
    };
    await expect(read()).rejects.toThrowError(want);
  });

  it.each([
    { name: 'duplicate series', series: () => [...makeSeries(1, 1), ...makeSeries(1, 1)], want: /duplicate series/ },
    { name: 'a chunk outside the range', series: () => makeSeries(1, 4), want: /outside the block range/ },
    {
      name: 'overlapping chunks',
      series: () => [{ labels: Labels.from({ a: 'b' }), chunks: [chunkOf([{ t: 0, v: 1 }, { t: 10, v: 1 }]), chunkOf([{ t: 5, v: 1 }])] }],
      want: /overlap/,
    },
  ])('rejects $name and leaves nothing behind', async ({ series, want }) => {
    const parent = tempDir();
    await expect(writeBlock(parent, { mint: 0, maxt: 360 * 15_000 - 1, series: series() })).rejects.toThrowError(want);
    expect(readdirSync(parent)).toEqual([]);
  });
});

describe('ULIDs', () => {
  it('are monotonic within a millisecond and encode the time', () => {
    let now = 1_700_000_000_000;
    const gen = new UlidGenerator({ now: () => now, random: (b) => b.fill(0xff, 0, 9).fill(0xfd, 9) });
    const a = gen.next();
    const b = gen.next();
    now -= 5;
    const c = gen.next();
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect([a, b, c]).toEqual([a, b, c].sort());
    expect(new Set([a, b, c]).size).toBe(3);
    expect(ulidTime(a)).toBe(1_700_000_000_000);
    expect(ulidTime(c)).toBe(1_700_000_000_000);
    expect(() => gen.next()).toThrowError(/overflowed/);
    expect(ulidTime('not a ulid')).toBeUndefined();
  });

  it('round-trips the golden block name', () => {
    expect(fixedUlid(GOLDEN_ULID).next()).toBe(GOLDEN_ULID);
  });
});
