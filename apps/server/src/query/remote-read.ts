import type { Labels } from '@pyrometer/model';
import { RemoteReadStorage, type RemoteChunk } from '@pyrometer/remote';
import { mergeQueryables, StorageError, type Queryable, type Series } from '@pyrometer/storage';
import { silentLogger } from '@pyrometer/telemetry';
import { MemSeriesChunks, seriesFromChunks } from '@pyrometer/tsdb';
import type { RemoteReadSettings } from './protocol.js';
import type { ReceivedResult } from './remote-queryable.js';

/** The XOR chunks of a streamed remote read answer as a series, decoded by the TSDB's chunk iterator. */
export function remoteChunkSeries(labels: Labels, chunks: readonly RemoteChunk[], mint: number, maxt: number): Series {
  const data = new MemSeriesChunks(
    labels,
    chunks.map((c) => c.data),
    chunks.map((c) => c.minT),
    chunks.map((c) => c.maxT),
    [],
    undefined,
  );
  return seriesFromChunks([data], mint, maxt);
}

/**
 * A query worker's `remote_read` endpoints: what its queries merge with the local storage (the
 * local data first: on equal timestamps it wins, as Prometheus's primary storage). Settings arrive
 * with the worker's start and again with every reload; a task waits for the newest to apply.
 */
export class WorkerRemoteRead {
  private readonly storage: RemoteReadStorage;
  private applied: Promise<void>;

  constructor(userAgent: string, settings: RemoteReadSettings) {
    this.storage = new RemoteReadStorage({ userAgent, chunkSeries: remoteChunkSeries, logger: silentLogger() });
    this.applied = this.apply(settings);
  }

  /** Replaces the endpoints (a failure leaves none, and shows in the next task's warnings). */
  update(settings: RemoteReadSettings): void {
    this.applied = this.apply(settings);
  }

  /**
   * `local` merged with the endpoints' queryables; `startTime` asks the main thread for the local
   * storage's oldest sample time (once per task, when an endpoint has `read_recent: false`).
   */
  async queryable(local: Queryable, startTime: () => Promise<ReceivedResult>): Promise<Queryable> {
    await this.applied;
    let cached: Promise<number> | undefined;
    const localStart = (): Promise<number> =>
      (cached ??= startTime().then((r) => {
        if (r.kind !== 'time') throw new StorageError('internal', `storage answered a startTime call with ${r.kind}`);
        return r.ms;
      }));
    const remote = this.storage.queryables(localStart);
    return remote.length === 0 ? local : mergeQueryables(local, ...remote);
  }

  private async apply(settings: RemoteReadSettings): Promise<void> {
    await this.applied?.catch(() => undefined);
    await this.storage.applyConfig(settings.configs, settings.externalLabels).catch(() => this.storage.applyConfig([], {}));
  }
}
