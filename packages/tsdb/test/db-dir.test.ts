import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempDir } from '@pyrometer/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Tsdb } from '../src/db/db.js';
import { dumpAll, recordingLogger, series } from './helpers.js';

const H = 3_600_000;
const opts = { compactionInterval: 0, now: () => 1000 * H, retentionDuration: 0 };

/** Runs a fixture under tsx (workspace packages from their sources). */
function fixture(name: string, args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(import.meta.dirname, 'fixtures', name), ...args], { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
  onTestFinished(() => void child.kill('SIGKILL'));
  return child;
}

async function output(child: ChildProcess, until: RegExp): Promise<string> {
  let text = '';
  child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  while (!until.test(text)) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`fixture exited: ${text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return text;
}

describe('the data directory lock', () => {
  it('refuses a directory another live process holds, naming it, and takes over once that process is gone', async () => {
    const dir = tempDir();
    const holder = fixture('hold-dir.ts', [dir]);
    await output(holder, /^open$/m);
    await expect(Tsdb.open(dir, opts)).rejects.toThrow(
      expect.objectContaining({ code: 'locked', message: expect.stringMatching(new RegExp(`^lock DB directory: ${dir}/lock is held by process ${holder.pid}, which is still running`)) }),
    );
    holder.kill('SIGKILL');
    await once(holder, 'exit');
    const logger = recordingLogger();
    const db = await Tsdb.open(dir, { ...opts, logger });
    expect(logger.lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual(['A lockfile from a previous execution already existed. It was replaced']);
    await expect(Tsdb.open(dir, opts)).rejects.toThrow(/is held by this process already/);
    await db.close();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });

  it('replaces a lock file that names no live owner (upstream leaves an empty one), and opens unlocked with lockfile: false', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'lock'), '');
    const db = await Tsdb.open(dir, opts);
    const unlocked = await Tsdb.open(dir, { ...opts, lockfile: false });
    await unlocked.close();
    expect(existsSync(join(dir, 'lock'))).toBe(true);
    await db.close();
  });
});

describe('block deletion', () => {
  it('leaves no half-deleted block behind when the process dies in the middle of deleting one', async () => {
    const dir = tempDir();
    const db = await Tsdb.open(dir, opts);
    for (let m = 0; m < 11 * 60; m++) {
      const app = db.appender();
      app.append(0, series('load'), m * 60_000, m);
      await app.commit();
    }
    await db.compact();
    const [doomed, kept] = db.blockMetas().map((m) => m.ulid);
    await db.close();
    const deleter = fixture('kill-mid-deletion.ts', [dir, doomed!, String(4 * H)]);
    const [, signal] = (await once(deleter, 'exit')) as [number | null, string | null];
    expect(signal).toBe('SIGKILL');

    const logger = recordingLogger();
    const reopened = await Tsdb.open(dir, { ...opts, logger });
    // The killed process's lock is stale; nothing else is worth a warning (no half block skipped).
    expect(logger.lines.filter((l) => l.level !== 'info').map((l) => l.msg)).toEqual(['A lockfile from a previous execution already existed. It was replaced']);
    expect(reopened.blockMetas().map((m) => m.ulid)).toEqual([kept]);
    expect(readdirSync(dir).filter((n) => n.startsWith(doomed!))).toEqual([]);
    expect((await dumpAll(reopened, 6 * H, 8 * H - 1)).get('{__name__="load"}')).toHaveLength(120);
    await reopened.close();
  });
});
