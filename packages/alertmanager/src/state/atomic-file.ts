import { randomBytes } from 'node:crypto';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Replaces `path` with `data` so that a crash leaves either the old or the new content: write a
 * temporary file beside it, fsync, rename over the target, fsync the folder. `data` may be a
 * sequence of chunks (strings are written as UTF-8), so that a large file is never one buffer.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | Iterable<string>): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const f = await open(tmp, 'w', 0o640);
    try {
      await writeFile(f, data);
      await f.sync();
    } finally {
      await f.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } catch {
    // Some file systems cannot fsync a folder; the rename is still atomic.
  } finally {
    await dir.close();
  }
}
