import { Labels, Matcher, MatchType } from '@pyrometer/model';
import { FloatColumns, ValueType, type SampleIterator } from '@pyrometer/storage';
import { tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { existsSync, fstatSync } from 'node:fs';
import { Tsdb } from '../src/db/db.js';
import { AttachedBlocks } from '../src/querier/attached-blocks.js';
import { MemSeriesChunks, seriesFromChunks, type SeriesChunks } from '../src/querier/series-chunks.js';
import { dumpAll, series } from './helpers.js';

const H = 3_600_000;
const ALL = [new Matcher(MatchType.Regexp, '__name__', '.+')];

/** A copy of a visited part that stays valid after the visit. */
function copyOf(s: SeriesChunks): SeriesChunks {
  const n = s.chunkCount;
  const each = <T>(f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
  return new MemSeriesChunks(s.labels, each((i) => s.chunk(i).slice()), each((i) => s.minTime(i)), each((i) => s.maxTime(i)), s.deleted, s.ooo);
}

/**
 * What a chunk querier hands out, decoded the way a query worker does: parts grouped by labels in
 * source order; with `reuse`, each series' iterator is the previous one handed back (`iterator(reuse)`).
 */
async function dumpChunks(db: Tsdb, mint: number, maxt: number, reuse = false): Promise<Map<string, [number, number][]>> {
  const q = db.chunkQuerier(mint, maxt);
  const parts = new Map<string, SeriesChunks[]>();
  await q.visit(ALL, (_source, s) => {
    const key = s.labels.toString();
    parts.set(key, [...(parts.get(key) ?? []), copyOf(s)]);
  });
  await q.close();
  const out = new Map<string, [number, number][]>();
  let previous: SampleIterator | undefined;
  for (const key of [...parts.keys()].sort()) {
    const it = seriesFromChunks(parts.get(key)!, mint, maxt).iterator(reuse ? previous : undefined);
    previous = it;
    const samples: [number, number][] = [];
    while (it.next() !== ValueType.None) samples.push([it.atT(), it.atF()]);
    if (samples.length > 0) out.set(key, samples);
  }
  return out;
}

/** The same through each series' bulk read (`readFloats`), staleness markers left out as the engine reads them. */
async function dumpBulk(db: Tsdb, mint: number, maxt: number): Promise<Map<string, [number, number][]>> {
  const q = await db.querier(mint, maxt);
  const out = new Map<string, [number, number][]>();
  for (const s of (await q.select(ALL, { sortSeries: true })).series) {
    const cols = new FloatColumns();
    expect(s.readFloats!(mint, maxt, cols)).toBeUndefined();
    out.set(s.labels.toString(), Array.from({ length: cols.length }, (_, i) => [cols.ts[i]!, cols.vs[i]!]));
  }
  await q.close();
  return out;
}

describe('ChunkQuerier', () => {
  it('hands out the same samples as the merged querier: blocks and head, deletions, out-of-order samples, bounds, iterators reused', async () => {
    const db = await Tsdb.open(tempDir(), { compactionInterval: 0, now: () => 1000 * H, retentionDuration: 0, outOfOrderWindow: 3 * H });
    for (let m = 0; m < 5 * 60; m++) {
      const app = db.appender();
      for (let i = 0; i < 3; i++) app.append(0, series('load', { i: String(i) }), m * 60_000, m + i);
      await app.commit();
    }
    await db.compact();
    expect(db.blockMetas().length).toBeGreaterThan(0);
    const app = db.appender();
    app.append(0, series('load', { i: '0' }), 4 * H + 30_000, -1); // out of order, in the window
    await app.commit();
    await db.delete(H, H + 10 * 60_000, [new Matcher(MatchType.Equal, 'i', '1')]);
    for (const [mint, maxt] of [[0, 5 * H], [2 * H - 60_000, 2 * H], [4 * H, 4 * H + 60_000]] as const) {
      const merged = await dumpAll(db, mint, maxt);
      expect(await dumpChunks(db, mint, maxt)).toEqual(merged);
      expect(await dumpChunks(db, mint, maxt, true)).toEqual(merged);
      expect(await dumpBulk(db, mint, maxt)).toEqual(merged);
    }
    await db.close();
  });

  it('lends block files to another reader: a block compaction deletes meanwhile stays readable until the lease is released', async () => {
    const db = await Tsdb.open(tempDir(), { compactionInterval: 0, now: () => 1000 * H, retentionDuration: 0 });
    for (let m = 0; m < 8 * 60; m += 5) {
      const app = db.appender();
      app.append(0, series('lent'), m * 60_000, m);
      await app.commit();
    }
    await db.compact();
    const want = (await dumpAll(db, 0, 6 * H - 1)).get('{__name__="lent"}')!;
    const lease = db.leaseBlocks(0, 6 * H - 1);
    expect(lease.files).toHaveLength(3);
    await db.compactHead();
    await db.compact();
    expect(db.blockMetas().map((m) => m.maxTime / H)).toEqual([6, 8]);
    for (const f of lease.files) expect(existsSync(f.dir)).toBe(false);
    // Read as a query worker does, through the lent descriptors.
    const parts: SeriesChunks[] = [];
    await new AttachedBlocks(1 << 20).visit(lease.files, ALL, 0, 6 * H - 1, (_, s) => parts.push(s));
    const it = seriesFromChunks(parts, 0, 6 * H - 1).iterator();
    const got: [number, number][] = [];
    while (it.next() !== ValueType.None) got.push([it.atT(), it.atF()]);
    expect(got).toEqual(want);
    const fd = lease.files[0]!.index.fd;
    lease.release();
    expect(() => fstatSync(fd)).toThrow(/EBADF/);
    await db.close();
  });

  it('visits the head in one step: a commit racing a select is seen by all of its series or none', async () => {
    const db = await Tsdb.open(tempDir(), { compactionInterval: 0 });
    const labels = Array.from({ length: 3000 }, (_, i) => Labels.from({ __name__: 'x', i: String(i) }));
    const commit = async (t: number) => {
      const app = db.appender();
      for (const l of labels) app.append(0, l, t, t);
      await app.commit();
    };
    await commit(1000);
    const q = db.chunkQuerier(0, 10_000);
    const newest = new Set<number>();
    const racing = commit(2000);
    await q.visit([new Matcher(MatchType.Equal, '__name__', 'x')], (_source, s) => {
      const it = seriesFromChunks([copyOf(s)], 0, 10_000).iterator();
      let last = NaN;
      while (it.next() !== ValueType.None) last = it.atT();
      newest.add(last);
    });
    await racing;
    expect(newest.size).toBe(1);
    await db.close();
  });

  it('stops visiting further block slices once the signal is aborted', async () => {
    const db = await Tsdb.open(tempDir(), { compactionInterval: 0, now: () => 1000 * H, retentionDuration: 0 });
    for (let m = 0; m < 4 * 60; m += 10) {
      const app = db.appender();
      for (let i = 0; i < 5000; i++) app.append(0, series('wide', { i: String(i) }), m * 60_000, i);
      await app.commit();
    }
    await db.compact();
    const q = db.chunkQuerier(0, H);
    const signal = { aborted: false };
    let visited = 0;
    await q.visit([new Matcher(MatchType.Equal, '__name__', 'wide')], () => {
      visited++;
      signal.aborted = true;
    }, signal);
    expect(visited).toBeGreaterThan(0);
    expect(visited).toBeLessThan(5000);
    await db.close();
  });
});
