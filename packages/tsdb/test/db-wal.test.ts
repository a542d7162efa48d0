import { readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Matcher, MatchType } from '@pyrometer/model';
import { MetricsRegistry } from '@pyrometer/telemetry';
import { tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { Tsdb } from '../src/db/db.js';
import { dumpAll, recordingLogger, series } from './helpers.js';

const opts = { compactionInterval: 0, now: () => 1_000_000_000 };

async function writeBatches(db: Tsdb, batches: number, perBatch: number): Promise<void> {
  for (let b = 0; b < batches; b++) {
    const app = db.appender();
    for (let i = 0; i < perBatch; i++) app.append(0, series('m', { i: String(i) }), (b + 1) * 1000, b * 10 + i);
    await app.commit();
  }
}

describe('Tsdb WAL', () => {
  it('replays committed samples after a reopen and drops rolled-back ones', async () => {
    const dir = tempDir();
    const db = await Tsdb.open(dir, opts);
    await writeBatches(db, 5, 3);
    const app = db.appender();
    app.append(0, series('rolled'), 9000, 1);
    await app.rollback();
    const before = await dumpAll(db);
    await db.close();
    const logger = recordingLogger();
    const again = await Tsdb.open(dir, { ...opts, logger });
    expect(await dumpAll(again)).toEqual(before);
    expect(before.size).toBe(3);
    expect(again.replay).toMatchObject({ series: 3, samples: 15, repaired: undefined });
    expect(logger.lines.some((l) => l.msg === 'WAL replay completed')).toBe(true);
    // New appends after replay keep working and continue the same series.
    const more = again.appender();
    more.append(0, series('m', { i: '0' }), 10_000, 7);
    await more.commit();
    await again.close();
    const third = await Tsdb.open(dir, opts);
    expect((await dumpAll(third)).get('{__name__="m", i="0"}')!.at(-1)).toEqual([10_000, 7]);
    await third.close();
  });

  it.each([
    { name: 'torn tail (truncated mid-record)', damage: (file: string) => truncateSync(file, statSync(file).size - 5) },
    {
      name: 'bit flip in the last record',
      damage: (file: string) => {
        const b = readFileSync(file);
        b[b.length - 20]! ^= 0x10;
        writeFileSync(file, b);
      },
    },
  ])('recovers from a $name, keeping every earlier batch and logging it', async ({ damage }) => {
    const dir = tempDir();
    const db = await Tsdb.open(dir, opts);
    await writeBatches(db, 4, 2);
    const first3 = await dumpAll(db, 0, 3000);
    await db.close();
    const walDir = join(dir, 'wal');
    const segs = readdirSync(walDir).filter((n) => /^\d+$/.test(n)).sort();
    // close() pads the segment to a page; cut the zero padding so the last record is at the end.
    const file = join(walDir, segs.at(-1)!);
    const buf = readFileSync(file);
    let end = buf.length;
    while (end > 0 && buf[end - 1] === 0) end--;
    truncateSync(file, end);
    damage(file);
    const logger = recordingLogger();
    const again = await Tsdb.open(dir, { ...opts, logger });
    expect(again.replay.repaired).toMatch(/segment/);
    expect(logger.lines.find((l) => l.level === 'warn')?.msg).toMatch(/torn or corrupt/);
    expect(await dumpAll(again, 0, 3000)).toEqual(first3);
    expect((await dumpAll(again, 4000, 4000)).size).toBe(0);
    await again.close();
  });

  it('exposes self-metrics under upstream names, counting appends and rejections', async () => {
    const registry = new MetricsRegistry();
    const db = await Tsdb.open(tempDir(), { ...opts, registry });
    await writeBatches(db, 3, 2);
    expect(() => db.appender().append(0, series('m', { i: '0' }), 500, 1)).toThrow(expect.objectContaining({ code: 'out_of_order_sample' }));
    const value = (name: string): number | undefined => registry.collect().find((f) => f.name === name)?.metrics[0]?.value;
    expect(value('prometheus_tsdb_head_series')).toBe(2);
    expect(value('prometheus_tsdb_head_samples_appended_total')).toBe(6);
    expect(value('prometheus_tsdb_out_of_order_samples_total')).toBe(1);
    expect(value('prometheus_tsdb_head_max_time')).toBe(3000);
    expect(value('prometheus_tsdb_wal_corruptions_total')).toBe(0);
    expect(value('prometheus_tsdb_compactions_total')).toBe(0);
    await db.close();
  });

  it('deletes series ranges through tombstones that survive a restart', async () => {
    const dir = tempDir();
    const db = await Tsdb.open(dir, opts);
    await writeBatches(db, 4, 2);
    await db.delete(2000, 3000, [new Matcher(MatchType.Equal, 'i', '1')]);
    const want = [[1000, 1], [4000, 31]];
    expect((await dumpAll(db)).get('{__name__="m", i="1"}')).toEqual(want);
    await db.close();
    const again = await Tsdb.open(dir, opts);
    expect((await dumpAll(again)).get('{__name__="m", i="1"}')).toEqual(want);
    expect((await dumpAll(again)).get('{__name__="m", i="0"}')).toHaveLength(4);
    await again.close();
  });
});
