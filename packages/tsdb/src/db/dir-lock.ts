import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { StorageError } from '@pyrometer/storage';
import type { Logger } from '@pyrometer/telemetry';

/** The lock file upstream holds in every data directory. */
export const LOCK_FILE = 'lock';

// Lock files this process holds: like a flock, a lock held here refuses a second open in the same
// process too, while a lock file naming this pid that is not held here is stale (pid reuse after a
// restart, e.g. pid 1 in a container).
const heldHere = new Set<string>();

/** Ownership of a data directory, held from open to close. */
export interface DirLock {
  /** Removes the lock file. Idempotent. */
  release(): void;
}

/**
 * Takes `<dir>/lock` for this process, as upstream refuses a second server on one directory.
 * Node has no flock, so the file names its owner — `<pid> <start time in clock ticks>` — and a
 * lock whose owner is gone (killed, or a pid now used by another process) is stale and replaced
 * with a warning, as upstream replaces a lock file nobody holds. A live owner is refused with a
 * `locked` StorageError naming the file and the process.
 */
export function acquireDirLock(dir: string, logger: Logger): DirLock {
  const path = resolve(dir, LOCK_FILE);
  if (heldHere.has(path)) throw new StorageError('locked', `lock DB directory: ${path} is held by this process already (the data directory is open)`);
  const me = ownerText(process.pid);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      writeSync(fd, me);
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw lockError(path, err);
    }
    const owner = readOwner(path);
    if (owner !== undefined && owner.pid !== process.pid && isAlive(owner)) {
      throw new StorageError('locked', `lock DB directory: ${path} is held by process ${owner.pid}, which is still running (another server uses this data directory; stop it, or start with --storage.tsdb.no-lockfile)`);
    }
    logger.warn('A lockfile from a previous execution already existed. It was replaced', { file: path });
    unlinkSync(path);
  }
  heldHere.add(path);
  return {
    release() {
      if (!heldHere.delete(path)) return;
      try {
        if (readFileSync(path, 'utf8') === me) unlinkSync(path);
      } catch {
        // Already gone: nothing to release.
      }
    },
  };
}

interface Owner {
  pid: number;
  startTicks: number | undefined;
}

function ownerText(pid: number): string {
  return `${pid} ${startTicks(pid) ?? ''}`.trim() + '\n';
}

function readOwner(path: string): Owner | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const m = /^(\d+)(?: (\d+))?\n?$/.exec(text);
  if (m === null) return undefined; // upstream's empty lock file, or garbage: nobody we can check
  return { pid: Number(m[1]), startTicks: m[2] === undefined ? undefined : Number(m[2]) };
}

/** A process with that pid runs and, where /proc tells, it started when the lock's owner did. */
function isAlive(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = startTicks(owner.pid);
  return owner.startTicks === undefined || now === undefined || now === owner.startTicks;
}

/** Field 22 of /proc/<pid>/stat (start time after boot, in clock ticks), or undefined off Linux. */
function startTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  } catch {
    return undefined;
  }
}

function lockError(path: string, cause: unknown): StorageError {
  return new StorageError('locked', `lock DB directory: cannot create ${path}: ${(cause as Error).message}`, { cause });
}
