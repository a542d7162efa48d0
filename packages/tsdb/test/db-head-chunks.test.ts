import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { Tsdb } from '../src/db/db.js';
import { dumpAll, keepOnlySeriesInWal, series } from './helpers.js';

const H = 3_600_000;
const opts = { compactionInterval: 0, now: () => 1000 * H, retentionDuration: 0 };

/** `n` series with a sample a minute from `fromMin` to `toMin` (exclusive). */
async function fill(db: Tsdb, n: number, fromMin: number, toMin: number): Promise<void> {
  for (let m = fromMin; m < toMin; m++) {
    const app = db.appender();
    for (let i = 0; i < n; i++) app.append(0, series('m', { i: String(i) }), m * 60_000, m * 10 + i);
    await app.commit();
  }
}

describe('head chunks on disk (chunks_head/)', () => {
  it('keeps full chunks on disk, and a restart takes them from there, replaying from the WAL only the samples after them', async () => {
    const dir = tempDir();
    const db = await Tsdb.open(dir, opts);
    await fill(db, 20, 0, 100 + 4 * 120);
    const before = await dumpAll(db);
    for (const s of db.head.allSeries()) expect(s.closedChunks).toBe(4);
    await db.close();
    expect(readdirSync(join(dir, 'chunks_head'))).toEqual(['000001']);
    const again = await Tsdb.open(dir, opts);
    // 2h boundaries cut chunks too: minute 0-119 is one chunk, then 120 samples each; 100 samples stay open.
    expect(again.replay.samples).toBe(20 * 100);
    expect(await dumpAll(again)).toEqual(before);
    await again.close();
  });

  it('serves the full chunks of a WAL that lost its samples (only chunks_head/ holds them)', async () => {
    const dir = tempDir();
    const db = await Tsdb.open(dir, opts);
    await fill(db, 3, 0, 150);
    const list = [...db.head.allSeries()].map((s) => ({ ref: s.ref, labels: s.labels }));
    await db.close();
    keepOnlySeriesInWal(dir, list);
    const again = await Tsdb.open(dir, opts);
    expect(again.replay.samples).toBe(0);
    const data = await dumpAll(again);
    expect(data.get('{__name__="m", i="2"}')).toEqual(Array.from({ length: 120 }, (_, m) => [m * 60_000, m * 10 + 2]));
    await again.close();
  });

  it('deletes the chunk files whose chunks all went into blocks when the head is cut', async () => {
    const dir = tempDir();
    const db = await Tsdb.open(dir, opts);
    await fill(db, 5, 0, 5 * 60);
    await db.close();
    const reopened = await Tsdb.open(dir, opts);
    await fill(reopened, 5, 5 * 60, 9 * 60);
    expect(readdirSync(join(dir, 'chunks_head'))).toEqual(['000001', '000002']);
    await reopened.compact();
    expect(reopened.blockMetas().map((m) => m.maxTime / H)).toEqual([2, 4, 6]);
    // File 1 held chunks up to 5h, some of them after 4h: it goes once the head passes 6h.
    expect(readdirSync(join(dir, 'chunks_head'))).toEqual(['000002', '000003']);
    expect((await dumpAll(reopened)).get('{__name__="m", i="0"}')).toHaveLength(9 * 60);
    await reopened.close();
  });
});
