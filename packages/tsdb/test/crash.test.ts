import { spawn } from 'node:child_process';
import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { Tsdb } from '../src/db/db.js';
import { dumpAll, series } from './helpers.js';

const SERIES = 100;

/** Runs the writer until it has acknowledged at least `minAcks` batches, then SIGKILLs it. */
function runAndKill(dir: string, minAcks: number, series = SERIES, mode = 'aligned'): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(import.meta.dirname, 'fixtures/crash-writer.ts'), dir, String(series), mode], {
      cwd: repoRoot(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let acked = 0;
    let seen = 0;
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const line of lines) {
        const m = /^acked (\d+)$/.exec(line);
        if (m === null) continue;
        acked = Number(m[1]);
        if (++seen === minAcks) child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`writer exited with ${code}: ${err}`));
    });
  });
}

/** Runs the compactor on `dir` and SIGKILLs it `delayMs` after it starts compacting; resolves whether it finished first. */
function compactAndKill(dir: string, delayMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(import.meta.dirname, 'fixtures/compactor.ts'), dir], { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('compacting\n') && !out.includes('compacted')) setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve(out.includes('compacted'));
      else reject(new Error(`compactor exited with ${code}: ${err}`));
    });
  });
}

describe('crash safety', () => {
  it('keeps every acknowledged batch and never half of one across repeated SIGKILLs', { timeout: 300_000 }, async () => {
    const dir = tempDir();
    let lastAcked = 0;
    for (let round = 0; round < 4; round++) {
      const acked = await runAndKill(dir, 5 + round * 13);
      expect(acked).toBeGreaterThan(lastAcked);
      const db = await Tsdb.open(dir, { compactionInterval: 0, now: () => 1e15 });
      const data = await dumpAll(db);
      let present = -1;
      for (let i = 0; i < SERIES; i++) {
        const samples = data.get(`{__name__="crash", i="${i}"}`) ?? [];
        // Contiguous batches 1..n with value = batch, and the same n for every series (atomic batches).
        samples.forEach(([t, v], k) => {
          expect(t).toBe((k + 1) * 1000);
          expect(v).toBe(k + 1);
        });
        if (present === -1) present = samples.length;
        expect(samples.length).toBe(present);
      }
      expect(present).toBeGreaterThanOrEqual(acked);
      lastAcked = present;
      await db.close();
    }
  });

  it('loses nothing when killed while compacting blocks: the old blocks or the new one, never both or neither', { timeout: 300_000 }, async () => {
    const prepared = tempDir();
    const db = await Tsdb.open(prepared, { compactionInterval: 0, retentionDuration: 0, now: () => 3_600_000_000 });
    const labels = Array.from({ length: 2000 }, (_, i) => series('compact', { i: String(i) }));
    for (let m = 0; m < 8 * 60; m++) {
      const app = db.appender();
      for (const [i, l] of labels.entries()) app.append(0, l, m * 60_000, m * 1000 + i);
      await app.commit();
    }
    await db.compactHead();
    const want = await dumpAll(db);
    await db.close();
    let finished = 0;
    for (const delayMs of [0, 150, 400, 650, 60_000]) {
      const dir = tempDir();
      cpSync(prepared, dir, { recursive: true });
      if (await compactAndKill(dir, delayMs)) finished++;
      const reopened = await Tsdb.open(dir, { compactionInterval: 0, retentionDuration: 0, now: () => 3_600_000_000 });
      const metas = reopened.blockMetas();
      for (let i = 1; i < metas.length; i++) expect(metas[i]!.minTime, `blocks overlap after a kill ${delayMs} ms in`).toBeGreaterThanOrEqual(metas[i - 1]!.maxTime);
      expect(readdirSync(dir).filter((n) => n.includes('.tmp'))).toEqual([]);
      expect(await dumpAll(reopened)).toEqual(want);
      await reopened.close();
    }
    // The last run was given all the time it needs.
    expect(finished).toBeGreaterThanOrEqual(1);
  });

  it('keeps every acknowledged sample when killed while head chunks are being written, and restarts from them', { timeout: 300_000 }, async () => {
    const dir = tempDir();
    const series = 240;
    let lastAcked = 0;
    for (let round = 0; round < 4; round++) {
      const acked = await runAndKill(dir, 150 + round * 97, series, 'staggered');
      expect(acked).toBeGreaterThan(lastAcked);
      expect(readdirSync(join(dir, 'chunks_head')).length).toBeGreaterThan(0);
      const db = await Tsdb.open(dir, { compactionInterval: 0, now: () => 1e15 });
      const data = await dumpAll(db);
      let newest = -1;
      for (let i = 0; i < series; i++) {
        const samples = data.get(`{__name__="crash", i="${i}"}`) ?? [];
        // Series i holds batches (i % 120) + 1 … n, value = batch, with one n for every series.
        const first = (i % 120) + 1;
        samples.forEach(([t, v], k) => {
          expect(t).toBe((first + k) * 1000);
          expect(v).toBe(first + k);
        });
        const last = first + samples.length - 1;
        if (newest === -1) newest = last;
        expect(last).toBe(newest);
      }
      expect(newest).toBeGreaterThanOrEqual(acked);
      // Full chunks came back from chunks_head: the WAL replay applied fewer samples than there are.
      expect(db.replay.samples).toBeLessThan([...data.values()].reduce((n, s) => n + s.length, 0));
      lastAcked = newest;
      await db.close();
    }
  });
});
