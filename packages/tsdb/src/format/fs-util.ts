import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

/** Fsyncs a directory so that entries created, renamed or removed in it are durable. */
export function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `data` to a new file at `path` (which must not exist) and fsyncs it. */
export function writeFileDurably(path: string, data: Uint8Array): void {
  const fd = openSync(path, 'wx');
  try {
    let pos = 0;
    while (pos < data.length) pos += writeSync(fd, data, pos, data.length - pos);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
