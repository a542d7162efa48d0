import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { expandGlob, type FileSdConfig, type TargetGroup } from '@pyrometer/config';
import type { Logger } from '@pyrometer/telemetry';
import { parse as parseYaml } from 'yaml';
import type { Clock, TimerHandle } from '@pyrometer/model';
import { ScrapeError } from '../errors.js';
import type { DiscoveryProvider } from './provider.js';
import { parseTargetGroups } from './target-groups.js';

/** A short pause after a file event so that an editor's write-rename sequence is read once. */
const WATCH_DEBOUNCE_MS = 50;

/**
 * `file_sd_configs`: reads every file matching the patterns (JSON for `*.json`, YAML otherwise),
 * re-reads on file-system events in their directories and every `refresh_interval`. Groups get
 * `__meta_filepath`. A file that cannot be read or parsed keeps its previous groups and is
 * reported through `onError`, as upstream keeps serving the last good state.
 */
export class FileProvider implements DiscoveryProvider {
  private readonly byFile = new Map<string, TargetGroup[]>();
  private watchers: FSWatcher[] = [];
  private timer: TimerHandle | undefined;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: FileSdConfig,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly onError: (err: ScrapeError) => void,
  ) {}

  start(onUpdate: (groups: TargetGroup[]) => void): void {
    const refresh = (): void => {
      this.reading = this.reading.then(async () => {
        if (this.stopped) return;
        await this.readAll();
        if (!this.stopped) onUpdate([...this.byFile.values()].flat());
      });
    };
    for (const dir of new Set(this.config.files.map((f) => dirname(f)))) {
      try {
        const w = watch(dir, () => {
          if (this.debounce) clearTimeout(this.debounce);
          this.debounce = setTimeout(refresh, WATCH_DEBOUNCE_MS);
        });
        w.on('error', (err) => this.logger.warn('file_sd watch error', { dir, err: err.message }));
        this.watchers.push(w);
      } catch (err) {
        this.logger.warn('file_sd cannot watch directory; relying on refresh_interval', { dir, err: (err as Error).message });
      }
    }
    const tick = (): void => {
      refresh();
      this.timer = this.clock.setTimeout(tick, this.config.refreshInterval);
    };
    tick();
  }

  /** Resolves when the reads started so far have finished (for tests and orderly shutdown). */
  settled(): Promise<void> {
    return this.reading;
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.watchers) w.close();
    this.watchers = [];
    if (this.debounce) clearTimeout(this.debounce);
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
  }

  private async readAll(): Promise<void> {
    const files = new Set<string>();
    for (const pattern of this.config.files) for (const f of await expandGlob(pattern)) files.add(f);
    for (const f of [...this.byFile.keys()]) if (!files.has(f)) this.byFile.delete(f);
    for (const file of files) {
      try {
        this.byFile.set(file, await readGroups(file));
      } catch (err) {
        const e = err instanceof ScrapeError ? err : new ScrapeError('discovery', `file_sd: ${file}: ${(err as Error).message}`, { cause: err });
        // A file that vanished between listing and reading simply has no groups.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') this.byFile.delete(file);
        else this.onError(e);
      }
    }
  }
}

async function readGroups(file: string): Promise<TargetGroup[]> {
  const text = await readFile(file, 'utf8');
  let doc: unknown;
  try {
    doc = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { uniqueKeys: true });
  } catch (err) {
    throw new ScrapeError('discovery', `file_sd: ${file}: ${(err as Error).message}`, { cause: err });
  }
  if (doc === null || doc === undefined) return [];
  return parseTargetGroups(doc, file, { __meta_filepath: file });
}
