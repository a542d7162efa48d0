import type { MetricFamily } from '@pyrometer/exposition';
import { silentLogger, type Logger } from '@pyrometer/telemetry';
import { GroupState } from './internal/group-state.js';
import { readStateFile, setAsideCorrupt, writeStateFile } from './internal/persistence-file.js';
import { SerialQueue } from './internal/serial-queue.js';
import { applyPlan, planWrite } from './internal/write-plan.js';
import { PushgatewayError } from './errors.js';
import type { GroupSnapshot, MetricStore, WriteRequest, WriteResult } from './store.js';

/** Options of {@link MemoryStore.open}. */
export interface MemoryStoreOptions {
  /** The persistence file (`--persistence.file`); empty keeps groups in memory only. */
  persistenceFile: string;
  /** Minimum time between two writes of the persistence file, in ms (`--persistence.interval`). */
  persistenceIntervalMs: number;
  /** The Pushgateway's own metric families, for type checks and `/metrics`. */
  ownFamilies: () => MetricFamily[];
  /** Writes waiting beyond this many make `healthy()` false (upstream's queue capacity). */
  queueCapacity: number;
  logger: Logger;
}

export function defaultMemoryStoreOptions(): MemoryStoreOptions {
  return { persistenceFile: '', persistenceIntervalMs: 5 * 60_000, ownFamilies: () => [], queueCapacity: 1000, logger: silentLogger() };
}

/**
 * The in-memory {@link MetricStore}, optionally backed by a persistence file that is written at
 * most once per interval after a change, and on `close()`. Restores the file on open.
 */
export class MemoryStore implements MetricStore {
  private readonly queue = new SerialQueue();
  private lastPersistMs = 0;
  private persistTimer: NodeJS.Timeout | undefined;
  private persisting: Promise<void> = Promise.resolve();
  private changed = false;
  private closed = false;

  private constructor(
    private readonly state: GroupState,
    private readonly options: MemoryStoreOptions,
  ) {}

  /**
   * Opens the store, restoring every group from the persistence file when it exists. A file that
   * cannot be read or decoded is logged and the store starts empty, as upstream; a corrupt file is
   * first moved aside (`<file>.unreadable-<ms>`), so the next write does not destroy it.
   */
  static async open(options: Partial<MemoryStoreOptions> = {}): Promise<MemoryStore> {
    const full = { ...defaultMemoryStoreOptions(), ...options };
    const state = new GroupState(full.ownFamilies);
    if (full.persistenceFile !== '') {
      try {
        for (const record of await readStateFile(full.persistenceFile)) state.set(record);
        full.logger.info('restored groups from the persistence file', { file: full.persistenceFile, groups: state.size });
      } catch (err) {
        const keptAs = await setAsideCorrupt(full.persistenceFile, err);
        full.logger.error('could not load persisted metrics; starting with no groups', { file: full.persistenceFile, err: (err as Error).message, ...(keptAs === undefined ? {} : { kept_as: keptAs }) });
      }
    }
    const store = new MemoryStore(state, full);
    store.lastPersistMs = Date.now();
    return store;
  }

  write(request: WriteRequest): Promise<WriteResult> {
    if (this.closed) return Promise.reject(new PushgatewayError('closed', 'the metric store is closed'));
    return this.queue.run(() => {
      const plan = planWrite(this.state, request);
      applyPlan(this.state, plan);
      if (plan.set.length > 0 || plan.deleted.length > 0) this.markChanged();
      return plan.result;
    });
  }

  groups(): Promise<GroupSnapshot[]> {
    return this.queue.run(() => this.state.all());
  }

  gather(): Promise<MetricFamily[]> {
    return this.queue.run(() => this.state.gather());
  }

  healthy(): boolean {
    return !this.closed && this.queue.pending < this.options.queueCapacity;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.run(() => undefined);
    clearTimeout(this.persistTimer);
    await this.persisting;
    if (this.changed) await this.persistNow();
  }

  private markChanged(): void {
    this.changed = true;
    this.schedulePersist();
  }

  private schedulePersist(): void {
    if (this.options.persistenceFile === '' || this.persistTimer !== undefined) return;
    const delay = Math.max(0, this.lastPersistMs + this.options.persistenceIntervalMs - Date.now());
    this.persistTimer = setTimeout(() => {
      this.persisting = this.persistNow().finally(() => {
        this.persistTimer = undefined;
        // Writes that arrived while the file was being written need another round.
        if (this.changed && !this.closed) this.schedulePersist();
      });
    }, delay);
    this.persistTimer.unref();
  }

  private async persistNow(): Promise<void> {
    if (this.options.persistenceFile === '') return;
    this.changed = false;
    this.lastPersistMs = Date.now();
    const groups = this.state.all();
    try {
      await writeStateFile(this.options.persistenceFile, groups);
      this.options.logger.debug('groups persisted', { file: this.options.persistenceFile, groups: groups.length });
    } catch (err) {
      this.changed = true;
      this.options.logger.error('persisting groups failed', { file: this.options.persistenceFile, err: (err as Error).message });
    }
  }
}
