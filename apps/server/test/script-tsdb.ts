import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Appendable, Appender, Querier, Queryable } from '@pyrometer/storage';
import { Tsdb, type TsdbOptions } from '@pyrometer/tsdb';

/**
 * How the promqltest suite loads data: production defaults (WAL on, no out-of-order window, the
 * wall clock) except one day per block, as upstream's teststorage does, because scripts load one
 * series after another over the script's whole time range and the appendable window is half a
 * block range. The background compaction timer is off so a run does not depend on timing.
 */
const LOAD_OPTIONS: Partial<TsdbOptions> = { minBlockDuration: 24 * 3_600_000, compactionInterval: 0 };
/** The database queries read in `blocks` mode: production defaults (2h blocks), no timer. */
const BLOCKS_OPTIONS: Partial<TsdbOptions> = { compactionInterval: 0 };

/**
 * The real TSDB as a promqltest storage. In `head` mode queries read the database the data was
 * loaded into. In `blocks` mode, before the first query after a load, that database's WAL is
 * copied into a fresh directory and replayed by a TSDB opened there, whose head is then compacted
 * whole into 2h blocks: queries read blocks only, and WAL replay sees every script's data.
 * `close` removes both directories.
 */
export class ScriptTsdb implements Appendable, Queryable {
  private view: { db: Tsdb; dir: string } | undefined;
  private loadedSinceView = false;

  private constructor(
    readonly mode: 'head' | 'blocks',
    private readonly dir: string,
    private readonly loaded: Tsdb,
  ) {}

  static async open(mode: 'head' | 'blocks'): Promise<ScriptTsdb> {
    const dir = mkdtempSync(join(tmpdir(), 'pyrometer-promqltest-'));
    return new ScriptTsdb(mode, dir, await Tsdb.open(dir, LOAD_OPTIONS));
  }

  appender(): Appender {
    this.loadedSinceView = true;
    return this.loaded.appender();
  }

  async querier(mint: number, maxt: number): Promise<Querier> {
    return (await this.readDb()).querier(mint, maxt);
  }

  /** The database queries read (in `blocks` mode rebuilt after loads). */
  async readDb(): Promise<Tsdb> {
    if (this.mode === 'head') return this.loaded;
    if (this.view === undefined || this.loadedSinceView) {
      await this.closeView();
      const dir = mkdtempSync(join(tmpdir(), 'pyrometer-promqltest-blocks-'));
      cpSync(this.loaded.walDir, join(dir, 'wal'), { recursive: true });
      const db = await Tsdb.open(dir, BLOCKS_OPTIONS);
      this.view = { db, dir };
      await db.compactHead();
      this.loadedSinceView = false;
    }
    return this.view.db;
  }

  async close(): Promise<void> {
    await this.closeView();
    await this.loaded.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async closeView(): Promise<void> {
    if (this.view === undefined) return;
    await this.view.db.close();
    rmSync(this.view.dir, { recursive: true, force: true });
    this.view = undefined;
  }
}
