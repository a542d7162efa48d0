import { closeSync, openSync, readSync, statSync } from 'node:fs';

/**
 * What a growing file (our server's output, `PYROMETER_BENCH_SERVER_OUT`) got between two points
 * in time: {@link skip} marks the start, {@link lines} returns what was appended since. Without a
 * path both do nothing.
 */
export class OutputTail {
  private offset = 0;

  constructor(private readonly path: string | undefined) {}

  /** Forgets what the file holds now. */
  skip(): void {
    if (this.path !== undefined) this.offset = statSync(this.path).size;
  }

  /** The lines appended since the last {@link skip} or call, at most `most` (the rest counted). */
  lines(most = 40): string[] {
    if (this.path === undefined) return [];
    const size = statSync(this.path).size;
    if (size <= this.offset) return [];
    const buf = Buffer.alloc(size - this.offset);
    const fd = openSync(this.path, 'r');
    try {
      readSync(fd, buf, 0, buf.length, this.offset);
    } finally {
      closeSync(fd);
    }
    this.offset = size;
    const all = buf.toString('utf8').split('\n').filter(Boolean);
    return all.length <= most ? all : [...all.slice(0, most), `… ${all.length - most} more lines`];
  }
}
