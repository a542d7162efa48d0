import { linkSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@pyrometer/telemetry';
import { BlockReader, type PageCache } from '../format/index.js';

const ULID_RE = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * A block opened by the DB, with its size on disk, reference-counted: the DB holds one reference
 * while the block is current, every querier reading it holds one more. Once the DB retires it
 * (compaction, retention, deletion replaced it; its directory may already be gone) and the last
 * querier released it, its files are closed. Single-threaded; query workers reading its files hold
 * a reference through the main thread.
 */
export class LoadedBlock {
  private refs = 1;

  constructor(
    readonly reader: BlockReader,
    readonly bytes: number,
  ) {}

  /** Takes a reference; the returned function gives it back (once, however often it is called). */
  acquire(): () => void {
    this.refs++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.drop();
    };
  }

  /** Gives back the DB's own reference. */
  retire(): void {
    this.drop();
  }

  private drop(): void {
    if (--this.refs === 0) this.reader.close();
  }
}

/**
 * Opens every block directory under `dir`, oldest first. Leftovers of interrupted writes and
 * deletions (`*.tmp-for-creation`, `*.tmp-for-deletion`, any `<ULID>.tmp*`) are removed, a block that cannot be opened (half-written, corrupt
 * index or meta) is skipped with a warning naming it and the reason, and blocks that a newer
 * compacted block lists as its parents are deleted, as Prometheus does.
 */
export async function loadBlocks(dir: string, cache: PageCache, logger: Logger): Promise<LoadedBlock[]> {
  const loaded: LoadedBlock[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (/\.tmp/.test(name) && ULID_RE.test(name.slice(0, 26))) {
      logger.info('Removing leftover temporary block directory', { dir: path });
      rmSync(path, { recursive: true, force: true });
      continue;
    }
    if (!ULID_RE.test(name) || !statSync(path).isDirectory()) continue;
    try {
      loaded.push(new LoadedBlock(await BlockReader.open(path, cache), dirSize(path)));
    } catch (err) {
      logger.warn('Skipping block that cannot be opened', { block: name, err: (err as Error).message });
    }
  }
  const parents = new Set<string>();
  for (const b of loaded) for (const p of b.reader.meta.compaction.parents ?? []) parents.add(p.ulid);
  const kept: LoadedBlock[] = [];
  for (const b of loaded) {
    if (parents.has(b.reader.meta.ulid)) {
      logger.info('Deleting block replaced by compaction', { block: b.reader.meta.ulid });
      b.retire();
      deleteBlockDir(b.reader.dir);
    } else kept.push(b);
  }
  return sortBlocks(kept);
}

/**
 * Deletes a block directory as upstream does: renamed to `<ULID>.tmp-for-deletion` first (one
 * atomic step: the block is gone), then removed. A crash during the removal leaves a temporary
 * directory that the next open removes, never a half block under its own name. Readers that still
 * hold the block's files open keep reading them.
 */
export function deleteBlockDir(path: string): void {
  const doomed = `${path}.tmp-for-deletion`;
  rmSync(doomed, { recursive: true, force: true });
  renameSync(path, doomed);
  rmSync(doomed, { recursive: true, force: true });
}

export function sortBlocks(blocks: LoadedBlock[]): LoadedBlock[] {
  return blocks.sort((a, b) => a.reader.meta.minTime - b.reader.meta.minTime || (a.reader.meta.ulid < b.reader.meta.ulid ? -1 : 1));
}

/** Opens one freshly written block. */
export async function loadBlock(dir: string, cache: PageCache): Promise<LoadedBlock> {
  return new LoadedBlock(await BlockReader.open(dir, cache), dirSize(dir));
}

/** Total size of the regular files under `path`, in bytes. */
export function dirSize(path: string): number {
  let n = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, e.name);
    if (e.isDirectory()) n += dirSize(p);
    else if (e.isFile()) n += statSync(p).size;
  }
  return n;
}

/** Hard-links every file of the tree `from` into `to` (created), for snapshots. */
export function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    if (e.isDirectory()) linkTree(join(from, e.name), join(to, e.name));
    else if (e.isFile()) linkSync(join(from, e.name), join(to, e.name));
  }
}
