import { headStatus, type HeadStatus } from '../head/head-status.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Matcher } from '@pyrometer/model';
import { mergeQueriers, StorageError, type Appendable, type Appender, type Querier, type Queryable } from '@pyrometer/storage';
import { MetricsRegistry } from '@pyrometer/telemetry';
import { HeadChunkFiles, headChunksDir, PageCache, UlidGenerator, type BlockMeta } from '../format/index.js';
import { Head } from '../head/head.js';
import { BlockQuerier } from '../querier/block-querier.js';
import type { BlockLease } from '../querier/attached-blocks.js';
import { ChunkQuerier } from '../querier/chunk-querier.js';
import { deleteBlockDir, dirSize, linkTree, loadBlock, loadBlocks, sortBlocks, type LoadedBlock } from './blocks.js';
import { acquireDirLock, type DirLock } from './dir-lock.js';
import { planCompaction, planRetention, type PlanBlock } from './compact-plan.js';
import { HeadWal, type ReplayResult } from './head-wal.js';
import { mappedChunksBySeries } from './wal-replay.js';
import { TsdbMetrics } from './metrics.js';
import { defaultOptions, exponentialBlockRanges, type TsdbOptions } from './options.js';
import { persistBlock } from './persist.js';

/**
 * A Prometheus-compatible TSDB over one data directory: the head (in memory, backed by the WAL in
 * `<dir>/wal`) plus persisted blocks in Prometheus's format. Implements the storage seam. Open
 * with {@link Tsdb.open}, close with `close()`; one instance per directory. Maintenance
 * (`compact`, `delete`, `cleanTombstones`, `snapshot`) runs one at a time. Blocks are read by
 * position through one bounded page cache; a querier holds a reference on every block it reads,
 * so a block that compaction or retention replaces stays readable (its files open, even once its
 * directory is deleted) until the last such querier is closed.
 */
export class Tsdb implements Appendable, Queryable {
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private blocks: LoadedBlock[] = [];
  private maintenance: Promise<unknown> = Promise.resolve();
  private readonly ulids: UlidGenerator;
  private readonly ranges: number[];
  private readonly walListeners = new Set<() => void>();
  private constructor(
    readonly dir: string,
    readonly options: TsdbOptions,
    readonly head: Head,
    private readonly metrics: TsdbMetrics,
    /** The pages of block and head chunk files this thread reads (bounded by `blockCacheBytes`). */
    readonly pageCache: PageCache,
    private readonly headChunks: HeadChunkFiles,
  ) {
    this.ulids = new UlidGenerator({ now: options.now });
    this.ranges = exponentialBlockRanges(options.minBlockDuration, 10, 3, Math.max(options.maxBlockDuration, options.minBlockDuration));
  }

  private wal: HeadWal | undefined;
  private lock: DirLock | undefined;
  /** What the WAL replay on open found. */
  replay: ReplayResult = { series: 0, samples: 0, oooSamples: 0, repaired: undefined };

  /**
   * Opens (creating if needed) the data directory `dir`: takes its lock file (unless
   * `options.lockfile` is false; a directory another live process holds is refused with a
   * `locked` StorageError), loads its blocks, its head chunks and replays its WAL.
   */
  static async open(dir: string, options: Partial<TsdbOptions> = {}): Promise<Tsdb> {
    const opts: TsdbOptions = { ...defaultOptions(), ...options };
    mkdirSync(dir, { recursive: true });
    const lock = opts.lockfile ? acquireDirLock(dir, opts.logger) : undefined;
    try {
      return await Tsdb.openLocked(dir, opts, lock);
    } catch (err) {
      lock?.release();
      throw err;
    }
  }

  private static async openLocked(dir: string, opts: TsdbOptions, lock: DirLock | undefined): Promise<Tsdb> {
    const registry = opts.registry ?? new MetricsRegistry();
    const metrics = new TsdbMetrics(registry);
    const pageCache = new PageCache(opts.blockCacheBytes);
    const headChunks = HeadChunkFiles.open(headChunksDir(dir), pageCache);
    if (headChunks.repaired !== undefined) {
      metrics.mmapChunkCorruptions.inc();
      opts.logger.warn('Head chunk files had a torn or corrupt tail; cut it off, the WAL replays what it held', { problem: headChunks.repaired });
    }
    const head = new Head({ chunkRange: opts.minBlockDuration, outOfOrderWindowMs: opts.outOfOrderWindow, maxFutureMs: opts.maxFutureDuration, now: opts.now, log: undefined, chunks: headChunks.files });
    for (const c of headChunks.chunks) head.reserveRefs(c.seriesRef);
    const db = new Tsdb(dir, opts, head, metrics, pageCache, headChunks.files);
    db.lock = lock;
    db.blocks = await loadBlocks(dir, pageCache, opts.logger);
    const lastBlock = db.blocks.at(-1);
    if (lastBlock !== undefined) head.minValidTime = Math.max(...db.blocks.map((b) => b.reader.meta.maxTime));
    opts.logger.info('Blocks loaded', { blocks: db.blocks.length, newest: lastBlock?.reader.meta.ulid });
    if (!opts.walEnabled) headChunks.files.removeAll();
    else {
      const mapped = mappedChunksBySeries(headChunks.chunks, head.minValidTime);
      const opened = HeadWal.open(join(dir, 'wal'), head, { segmentSize: opts.walSegmentSize, mapped, logger: opts.logger, metrics });
      db.wal = opened.wal;
      db.replay = opened.replay;
      head.options.log = (batch) => {
        opened.wal.log(batch);
        for (const listener of db.walListeners) listener();
      };
    }
    metrics.observe(registry, head, () => ({
      count: db.blocks.length,
      bytes: db.blocks.reduce((n, b) => n + b.bytes, 0),
      lowest: db.blocks[0]?.reader.meta.minTime ?? (head.minT === Infinity ? 0 : head.minT),
    }));
    if (opts.compactionInterval > 0) {
      db.timer = setInterval(() => void db.compact().catch((err: unknown) => opts.logger.error('Compaction failed', { err: String(err) })), opts.compactionInterval);
      db.timer.unref();
    }
    return db;
  }

  /** The WAL directory, `<dir>/wal` (Prometheus's segment format; see the WAL tail). */
  get walDir(): string {
    return join(this.dir, 'wal');
  }

  /**
   * Calls `listener` after each commit is written to the WAL, synchronously inside the commit
   * (before its samples become visible): it should only schedule work. Returns the unsubscriber.
   */
  onWalWrite(listener: () => void): () => void {
    this.walListeners.add(listener);
    return () => this.walListeners.delete(listener);
  }

  appender(): Appender {
    this.checkOpen();
    return this.head.appender();
  }

  /** A querier over the blocks overlapping [mint, maxt] and the head, merged (inclusive ms). */
  async querier(mint: number, maxt: number): Promise<Querier> {
    return this.chunkQuerier(mint, maxt);
  }

  /**
   * The querier of {@link querier}, whose `visit` also hands out series still encoded, per source,
   * for readers that decode chunks themselves (query worker threads).
   */
  chunkQuerier(mint: number, maxt: number, options: { blocks?: boolean } = {}): ChunkQuerier {
    const blocks = options.blocks === false ? [] : this.blockQueriers(mint, maxt);
    return new ChunkQuerier(mint, maxt, blocks, this.head.querier(mint, maxt));
  }

  /**
   * Lends the files of the blocks overlapping [mint, maxt] to a reader in another thread of this
   * process (a query worker, see AttachedBlocks): they stay open, and readable even if compaction
   * or retention deletes the blocks meanwhile, until the lease is released.
   */
  leaseBlocks(mint: number, maxt: number): BlockLease {
    this.checkOpen();
    const lent = this.blocks.filter((b) => b.reader.meta.minTime <= maxt && b.reader.meta.maxTime > mint);
    const releases = lent.map((b) => b.acquire());
    return { files: lent.map((b) => b.reader.files()), release: () => releases.forEach((r) => r()) };
  }

  private blockQueriers(mint: number, maxt: number): BlockQuerier[] {
    this.checkOpen();
    const out: BlockQuerier[] = [];
    for (const b of this.blocks) {
      const m = b.reader.meta;
      if (m.minTime <= maxt && m.maxTime > mint) out.push(new BlockQuerier(b.reader, mint, maxt, b.acquire()));
    }
    return out;
  }

  /** The time of the oldest sample stored (ms): the oldest block's start, else the head's; Infinity when empty. */
  startTime(): number {
    return this.blocks[0]?.reader.meta.minTime ?? this.head.minT;
  }

  /** The head's cardinality figures for /api/v1/status/tsdb (top `limit` of each list). */
  headStatus(limit: number): HeadStatus {
    return headStatus(this.head, limit);
  }

  /** The metas of the loaded blocks, oldest first. */
  blockMetas(): BlockMeta[] {
    return this.blocks.map((b) => b.reader.meta);
  }

  /**
   * Deletes the samples of every series matching `matchers` within [mint, maxt] (inclusive ms).
   * Head data gets tombstones (logged to the WAL) and disappears from reads at once; each affected
   * block is rewritten without the deleted samples.
   */
  delete(mint: number, maxt: number, matchers: readonly Matcher[]): Promise<void> {
    return this.exclusive(async () => {
      const tombstones: { ref: number; mint: number; maxt: number }[] = [];
      for (const ref of this.head.postings.forMatchers(matchers)) {
        const s = this.head.seriesByRef(ref);
        if (s !== undefined && s.maxT >= mint && s.minT <= maxt) tombstones.push({ ref, mint, maxt });
      }
      this.wal?.logTombstones(tombstones);
      for (const t of tombstones) this.head.addTombstone(t.ref, t.mint, t.maxt);
      for (const b of [...this.blocks]) {
        const m = b.reader.meta;
        if (m.minTime > maxt || m.maxTime <= mint) continue;
        const q = new BlockQuerier(b.reader, m.minTime, m.maxTime - 1, b.acquire());
        const found = (await q.select(matchers)).series.length > 0;
        await q.close();
        if (!found) continue;
        await this.rewriteBlock(b, { matchers, mint, maxt });
      }
    });
  }

  /** Rewrites every block that has tombstones without the deleted samples. */
  cleanTombstones(): Promise<void> {
    return this.exclusive(async () => {
      for (const b of [...this.blocks]) if (b.reader.tombstones.size > 0) await this.rewriteBlock(b, undefined);
    });
  }

  /**
   * Writes a consistent copy of the database into `dest`: blocks are hard-linked, and with
   * `withHead` the head's samples are written as one more block. Returns the new directory.
   */
  snapshot(dest: string, withHead: boolean): Promise<string> {
    return this.exclusive(async () => {
      mkdirSync(dest, { recursive: true });
      for (const b of this.blocks) linkTree(b.reader.dir, join(dest, b.reader.meta.ulid));
      if (withHead && this.head.minT !== Infinity) {
        await persistBlock(dest, this.head.querier(this.head.minT, this.head.maxT), this.head.minT, this.head.maxT + 1, { ulids: this.ulids });
      }
      return dest;
    });
  }

  /**
   * Cuts the head into blocks while it spans more than 1.5 block ranges, compacts blocks as the
   * leveled planner says, then applies retention. Runs exclusively with other maintenance.
   */
  compact(): Promise<void> {
    return this.exclusive(async () => {
      const range = this.options.minBlockDuration;
      while (this.head.minT !== Infinity && this.head.maxT - this.head.minT > (range / 2) * 3) {
        const mint = Math.floor(this.head.minT / range) * range;
        await this.cutHead(mint, mint + range);
      }
      for (let i = 0; i < 100; i++) {
        const plan = planCompaction(this.blocks.map(planInput), this.ranges);
        if (plan.length === 0) break;
        await this.compactBlocks(this.blocks.filter((b) => plan.includes(b.reader.meta.ulid)));
      }
      this.applyRetention();
    });
  }

  /**
   * Cuts the whole head into blocks aligned to `minBlockDuration` (upstream's `CompactHead`), so
   * the head is empty afterwards and reads come from blocks only; samples older than the last
   * block's end are refused from then on. Runs exclusively with other maintenance.
   */
  compactHead(): Promise<void> {
    return this.exclusive(async () => {
      const range = this.options.minBlockDuration;
      while (this.head.minT !== Infinity) {
        const mint = Math.floor(this.head.minT / range) * range;
        await this.cutHead(mint, mint + range);
      }
    });
  }

  /** Stops the background loop, waits for maintenance, fsyncs and closes the WAL, releases the lock. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.maintenance.catch(() => undefined);
    if (this.wal !== undefined) {
      await this.wal.sync();
      this.wal.close();
    }
    this.headChunks.close();
    for (const b of this.blocks) b.retire();
    this.lock?.release();
  }

  private async cutHead(mint: number, maxt: number): Promise<void> {
    const start = performance.now();
    // Raise the floor before the snapshot so nothing can be appended into the range being persisted.
    this.head.minValidTime = Math.max(this.head.minValidTime, maxt);
    try {
      const { ulid } = await persistBlock(this.dir, this.head.querier(mint, maxt - 1), mint, maxt, { ulids: this.ulids });
      if (ulid !== undefined) this.blocks = sortBlocks([...this.blocks, await loadBlock(join(this.dir, ulid), this.pageCache)]);
      this.metrics.compactions.inc();
      this.metrics.compactionDuration.observe((performance.now() - start) / 1000);
      this.options.logger.info('Persisted head block', { ulid, mint, maxt, durationMs: Math.round(performance.now() - start) });
    } catch (err) {
      this.metrics.compactionsFailed.inc();
      throw err;
    }
    this.head.truncate(maxt);
    this.headChunks.truncateBefore(maxt);
    this.metrics.headTruncations.inc();
    this.wal?.checkpoint(this.head, maxt, this.options.logger);
    this.wal?.truncateWbl(this.head);
  }

  private async compactBlocks(group: LoadedBlock[]): Promise<void> {
    const start = performance.now();
    const metas = group.map((b) => b.reader.meta);
    const mint = Math.min(...metas.map((m) => m.minTime));
    const maxt = Math.max(...metas.map((m) => m.maxTime));
    const querier = mergeQueriers(...group.map((b) => new BlockQuerier(b.reader, mint, maxt - 1, b.acquire())));
    try {
      const { ulid } = await persistBlock(this.dir, querier, mint, maxt, {
        ulids: this.ulids,
        compaction: {
          level: Math.max(...metas.map((m) => m.compaction.level)) + 1,
          sources: [...new Set(metas.flatMap((m) => m.compaction.sources))].sort(),
          parents: metas.map((m) => ({ ulid: m.ulid, minTime: m.minTime, maxTime: m.maxTime })),
        },
      });
      await this.replaceBlocks(group, ulid);
      this.metrics.compactions.inc();
      this.metrics.compactionDuration.observe((performance.now() - start) / 1000);
      this.options.logger.info('Compacted blocks', { ulid, sources: metas.map((m) => m.ulid).join(','), mint, maxt, durationMs: Math.round(performance.now() - start) });
    } catch (err) {
      this.metrics.compactionsFailed.inc();
      throw err;
    } finally {
      await querier.close();
    }
  }

  private async rewriteBlock(b: LoadedBlock, deletion: { matchers: readonly Matcher[]; mint: number; maxt: number } | undefined): Promise<void> {
    const m = b.reader.meta;
    const q = new BlockQuerier(b.reader, m.minTime, m.maxTime - 1, b.acquire(), deletion);
    const { ulid } = await persistBlock(this.dir, q, m.minTime, m.maxTime, {
      ulids: this.ulids,
      compaction: { level: m.compaction.level, sources: m.compaction.sources, parents: [{ ulid: m.ulid, minTime: m.minTime, maxTime: m.maxTime }] },
    }).finally(() => q.close());
    await this.replaceBlocks([b], ulid);
    this.options.logger.info('Rewrote block without deleted samples', { old: m.ulid, new: ulid });
  }

  private async replaceBlocks(old: LoadedBlock[], ulid: string | undefined): Promise<void> {
    const added = ulid === undefined ? [] : [await loadBlock(join(this.dir, ulid), this.pageCache)];
    this.blocks = sortBlocks([...this.blocks.filter((b) => !old.includes(b)), ...added]);
    for (const b of old) {
      b.retire();
      deleteBlockDir(b.reader.dir);
    }
    this.metrics.reloads.inc();
  }

  private applyRetention(): void {
    if (this.blocks.length === 0) return;
    const newest = Math.max(this.head.maxT, ...this.blocks.map((b) => b.reader.meta.maxTime));
    const walBytes = (this.wal === undefined ? 0 : dirSize(this.wal.dir)) + this.headChunks.size;
    const plan = planRetention(
      this.blocks.map((b) => ({ ...planInput(b), bytes: b.bytes })),
      { newest, retentionDuration: this.options.retentionDuration, retentionBytes: this.options.retentionBytes, otherBytes: walBytes },
    );
    const doomed = new Set([...plan.byTime, ...plan.bySize]);
    if (doomed.size === 0) return;
    if (plan.byTime.length > 0) this.metrics.timeRetentions.inc();
    if (plan.bySize.length > 0) this.metrics.sizeRetentions.inc();
    for (const b of this.blocks) {
      if (!doomed.has(b.reader.meta.ulid)) continue;
      b.retire();
      deleteBlockDir(b.reader.dir);
      this.options.logger.info('Deleting block beyond retention', { block: b.reader.meta.ulid, byTime: plan.byTime.includes(b.reader.meta.ulid) });
    }
    this.blocks = this.blocks.filter((b) => !doomed.has(b.reader.meta.ulid));
  }

  /** Runs maintenance one task at a time. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    this.checkOpen();
    const run = this.maintenance.catch(() => undefined).then(task);
    this.maintenance = run;
    return run;
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageError('closed', `TSDB ${this.dir} is closed`);
  }
}

function planInput(b: LoadedBlock): PlanBlock {
  const m = b.reader.meta;
  return { id: m.ulid, minTime: m.minTime, maxTime: m.maxTime, numSeries: m.stats.numSeries, numTombstones: m.stats.numTombstones ?? 0, compactionFailed: m.compaction.failed === true };
}
