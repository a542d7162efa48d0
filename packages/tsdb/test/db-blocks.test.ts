import { existsSync, mkdirSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Matcher, MatchType } from '@pyrometer/model';
import { ValueType } from '@pyrometer/storage';
import { tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { Tsdb } from '../src/db/db.js';
import { dumpAll, recordingLogger, series } from './helpers.js';

const H = 3_600_000;
const opts = { compactionInterval: 0, now: () => 1000 * H, retentionDuration: 0 };

/** Writes `hours` of data, one sample per minute for `n` series, values = minute index. */
async function fill(db: Tsdb, fromH: number, hours: number, n = 3): Promise<void> {
  for (let m = fromH * 60; m < (fromH + hours) * 60; m++) {
    const app = db.appender();
    for (let i = 0; i < n; i++) app.append(0, series('load', { i: String(i) }), m * 60_000, m + i);
    await app.commit();
  }
}

describe('Tsdb blocks', () => {
  it('cuts the head into 2h blocks, serves data across blocks and head, and reopens with them', async () => {
    const dir = tempDir();
    const db = await Tsdb.open(dir, opts);
    await fill(db, 0, 7);
    const before = await dumpAll(db);
    await db.compact();
    const metas = db.blockMetas();
    expect(metas.map((m) => [m.minTime / H, m.maxTime / H])).toEqual([[0, 2], [2, 4]]);
    expect(metas[0]!.stats).toMatchObject({ numSeries: 3, numSamples: 3 * 120 });
    expect(db.head.minT).toBe(4 * H);
    expect(await dumpAll(db)).toEqual(before);
    // Inclusive bounds across the block boundary.
    const edge = await dumpAll(db, 2 * H - 60_000, 2 * H);
    expect(edge.get('{__name__="load", i="0"}')).toEqual([[2 * H - 60_000, 119], [2 * H, 120]]);
    await db.close();
    const again = await Tsdb.open(dir, opts);
    expect(again.blockMetas()).toHaveLength(2);
    expect(await dumpAll(again)).toEqual(before);
    expect(() => again.appender().append(0, series('load', { i: '0' }), 3 * H, 1)).toThrow(expect.objectContaining({ code: 'out_of_bounds' }));
    await again.close();
  });

  it('compactHead cuts the whole head into aligned blocks, leaving it empty', async () => {
    const dir = tempDir();
    const db = await Tsdb.open(dir, opts);
    await fill(db, 1, 4);
    const before = await dumpAll(db);
    await db.compactHead();
    expect(db.blockMetas().map((m) => [m.minTime / H, m.maxTime / H])).toEqual([[0, 2], [2, 4], [4, 6]]);
    expect(db.head.minT).toBe(Infinity);
    expect(await dumpAll(db)).toEqual(before);
    expect(() => db.appender().append(0, series('load', { i: '0' }), 5 * H, 1)).toThrow(expect.objectContaining({ code: 'out_of_bounds' }));
    await db.close();
  });

  it('compacts three 2h blocks into a 6h block once a newer block exists, and applies time retention', async () => {
    const dir = tempDir();
    const db = await Tsdb.open(dir, opts);
    await fill(db, 0, 11, 2);
    const before = await dumpAll(db);
    await db.compact();
    expect(db.blockMetas().map((m) => [m.minTime / H, m.maxTime / H, m.compaction.level])).toEqual([[0, 6, 2], [6, 8, 1]]);
    expect(db.blockMetas()[0]!.compaction.sources).toHaveLength(3);
    expect(await dumpAll(db)).toEqual(before);
    expect(readdirSync(dir).filter((n) => /^[0-9A-Z]{26}$/.test(n))).toHaveLength(2);
    await db.close();
    const retained = await Tsdb.open(dir, { ...opts, retentionDuration: 4 * H });
    await retained.compact();
    expect(retained.blockMetas().map((m) => m.minTime / H)).toEqual([6]);
    expect((await dumpAll(retained, 0, 6 * H - 1)).size).toBe(0);
    await retained.close();
  });

  it('deletes series in blocks and head, and the deletion survives reopen', async () => {
    const dir = tempDir();
    const db = await Tsdb.open(dir, opts);
    await fill(db, 0, 5, 2);
    await db.compact();
    const m = [new Matcher(MatchType.Equal, 'i', '1')];
    await db.delete(H, 4.5 * H, m);
    const check = async (d: Tsdb): Promise<void> => {
      const got = (await dumpAll(d)).get('{__name__="load", i="1"}')!;
      expect(got.every(([t]) => t < H || t > 4.5 * H)).toBe(true);
      expect(got.length).toBe(60 + 29);
      expect((await dumpAll(d)).get('{__name__="load", i="0"}')).toHaveLength(300);
    };
    await check(db);
    await db.cleanTombstones();
    await check(db);
    await db.close();
    const again = await Tsdb.open(dir, opts);
    await check(again);
    await again.close();
  });

  it('snapshots blocks and head into a directory that opens as a database', async () => {
    const dir = tempDir();
    const db = await Tsdb.open(dir, opts);
    await fill(db, 0, 5, 2);
    await db.compact();
    const want = await dumpAll(db);
    const snap = join(tempDir(), 'snap');
    await db.snapshot(snap, true);
    await db.close();
    const copy = await Tsdb.open(snap, { ...opts, walEnabled: false });
    expect(copy.blockMetas()).toHaveLength(2);
    expect(await dumpAll(copy)).toEqual(want);
    await copy.close();
  });
});

describe('Tsdb faults', () => {
  it('skips a half-written block directory and removes leftover temporary ones, serving the rest', async () => {
    const dir = tempDir();
    const db = await Tsdb.open(dir, opts);
    await fill(db, 0, 7, 2);
    await db.compact();
    const want = await dumpAll(db, 0, 2 * H - 1);
    await db.close();
    const [first, second] = readdirSync(dir).filter((n) => /^[0-9A-Z]{26}$/.test(n)).sort();
    writeFileSync(join(dir, second!, 'meta.json'), '{"ulid": "trunc');
    mkdirSync(join(dir, `${first!.slice(0, 25)}Z.tmp-for-creation`));
    const logger = recordingLogger();
    const again = await Tsdb.open(dir, { ...opts, logger });
    expect(again.blockMetas().map((m) => m.ulid)).toEqual([first]);
    expect(logger.lines.find((l) => l.msg === 'Skipping block that cannot be opened')?.fields).toMatchObject({ block: second });
    expect(existsSync(join(dir, `${first!.slice(0, 25)}Z.tmp-for-creation`))).toBe(false);
    expect(await dumpAll(again, 0, 2 * H - 1)).toEqual(want);
    await again.close();
  });

  it('reads chunks only when a walk reaches them: a chunk that does not decode ends its series\' walk with the reason, the others are served', async () => {
    const dir = tempDir();
    const db = await Tsdb.open(dir, opts);
    await fill(db, 0, 5, 2);
    await db.compact();
    await db.close();
    const [first] = readdirSync(dir).filter((n) => /^[0-9A-Z]{26}$/.test(n)).sort();
    // Cut the segment inside the last chunk, series i="1"'s.
    const seg = join(dir, first!, 'chunks', readdirSync(join(dir, first!, 'chunks'))[0]!);
    truncateSync(seg, statSync(seg).size - 20);
    const again = await Tsdb.open(dir, opts);
    const q = await again.querier(0, 2 * H - 1);
    const set = await q.select([new Matcher(MatchType.Equal, '__name__', 'load')]);
    const walks = set.series.map((s) => {
      const it = s.iterator();
      let n = 0;
      while (it.next() !== ValueType.None) n++;
      return { i: s.labels.get('i'), n, err: it.err?.()?.message };
    });
    expect(walks[0]).toEqual({ i: '0', n: 120, err: undefined });
    expect(walks[1]!.i).toBe('1');
    expect(walks[1]!.n).toBeLessThan(120);
    expect(walks[1]!.err).toMatch(/corrupt chunk segment 0 of .*chunks at offset \d+: chunk of \d+ bytes runs past the end of the file/);
    await q.close();
    await again.close();
  });
});
