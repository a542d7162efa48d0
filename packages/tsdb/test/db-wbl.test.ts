import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { Tsdb } from '../src/db/db.js';
import { decodeSamples, readWal, recordType, RecordType } from '../src/format/index.js';
import { dumpAll, series } from './helpers.js';

const H = 3_600_000;
const opts = { compactionInterval: 0, now: () => 1000 * H, retentionDuration: 0, outOfOrderWindow: 2 * H };

/** Every sample timestamp the samples records of the log in `dir` hold. */
function loggedTimes(dir: string): number[] {
  const out: number[] = [];
  if (!existsSync(dir)) return out;
  readWal(dir, (rec) => {
    if (recordType(rec) === RecordType.Samples) decodeSamples(rec, (_ref, t) => out.push(t));
  });
  return out.sort((a, b) => a - b);
}

async function append(db: Tsdb, samples: [number, number][]): Promise<void> {
  const app = db.appender();
  for (const [t, v] of samples) app.append(0, series('ooo'), t, v);
  await app.commit();
}

describe('out-of-order samples in the write-behind log (wbl/)', () => {
  it('logs a commit\'s out-of-order samples to wbl/ and its in-order ones to wal/, and replays both', async () => {
    const dir = tempDir();
    const db = await Tsdb.open(dir, opts);
    expect(existsSync(join(dir, 'wbl'))).toBe(false);
    await append(db, [[10 * 60_000, 1], [20 * 60_000, 2]]);
    // One commit with an in-order sample, an out-of-order one and one that is out of order only
    // against the same commit's newer sample.
    await append(db, [[30 * 60_000, 3], [15 * 60_000, 1.5], [40 * 60_000, 4], [35 * 60_000, 3.5]]);
    const want = await dumpAll(db);
    expect(want.get('{__name__="ooo"}')).toEqual([10, 15, 20, 30, 35, 40].map((m) => [m * 60_000, m / 10]));
    await db.close();
    expect(loggedTimes(join(dir, 'wal'))).toEqual([10, 20, 30, 40].map((m) => m * 60_000));
    expect(loggedTimes(join(dir, 'wbl'))).toEqual([15, 35].map((m) => m * 60_000));
    const again = await Tsdb.open(dir, opts);
    expect(again.replay.oooSamples).toBe(2);
    expect(await dumpAll(again)).toEqual(want);
    await again.close();
  });

  it('keeps only the out-of-order samples the head still holds once the head is cut into blocks', async () => {
    const dir = tempDir();
    const wide = { ...opts, outOfOrderWindow: 4 * H };
    const db = await Tsdb.open(dir, wide);
    for (let m = 0; m <= 5 * 60; m += 10) await append(db, [[m * 60_000, m]]);
    await append(db, [[H + 5, -1], [4 * H + 5, -2]]);
    await db.compact();
    expect(db.blockMetas().map((m) => m.maxTime / H)).toEqual([2]);
    expect(readdirSync(join(dir, 'wbl'))).toHaveLength(1);
    expect(loggedTimes(join(dir, 'wbl'))).toEqual([4 * H + 5]);
    const want = await dumpAll(db);
    await db.close();
    const again = await Tsdb.open(dir, wide);
    expect(await dumpAll(again)).toEqual(want);
    expect(want.get('{__name__="ooo"}')!.filter(([, v]) => v < 0)).toEqual([[H + 5, -1], [4 * H + 5, -2]]);
    await again.close();
  });
});
