import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { Tsdb } from '../src/db/db.js';
import { dumpAll } from './helpers.js';

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
