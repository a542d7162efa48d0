import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@pyrometer/telemetry';
import type { WalPosition } from './wal-source.js';

const FILE_NAME = 'position.json';

/**
 * The delivered position of one remote_write destination, in `<dir>/position.json`:
 * `{"segment": 12, "offset": 40960, "url": "…", "name": "…"}` — every sample before that WAL
 * position has been delivered. Written atomically (temp file + rename), not fsynced: like the
 * WAL's own writes it survives a crash of the process, not of the machine.
 */
export class PositionFile {
  private readonly path: string;

  constructor(readonly dir: string, private readonly identity: { url: string; name: string }) {
    this.path = join(dir, FILE_NAME);
  }

  /** The saved position, or undefined when there is none or it is unreadable (logged). */
  load(logger: Logger): WalPosition | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      const parsed = JSON.parse(text) as Partial<WalPosition>;
      if (isIndex(parsed.segment) && isIndex(parsed.offset)) return { segment: parsed.segment, offset: parsed.offset };
      throw new Error('"segment" and "offset" must be non-negative integers');
    } catch (err) {
      logger.error('Ignoring unreadable remote write position; starting at the end of the WAL', { file: this.path, err: (err as Error).message });
      return undefined;
    }
  }

  save(position: WalPosition): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ segment: position.segment, offset: position.offset, ...this.identity })}\n`);
    renameSync(tmp, this.path);
  }
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}
