import type { Value } from '@pyrometer/promql';
import type { Querier, Queryable, Series } from '@pyrometer/storage';
import { AttachedBlocks, DecodeResumes } from '@pyrometer/tsdb';
import { ChunkArenas } from '../src/query/chunk-arenas.js';
import { LabelCache, SentLabels } from '../src/query/label-cache.js';
import type { StorageCall } from '../src/query/protocol.js';
import { receiveStorageResult, RemoteQueryable, type StorageChannel } from '../src/query/remote-queryable.js';
import { answerStorageCall, type ChunkQueryable } from '../src/query/storage-host.js';

/** What a {@link workerChannel} saw: every call, what gives back the blocks its answers lent, and the label strings each select answer carried. */
export interface ChannelLog {
  calls: StorageCall[];
  releases: (() => void)[];
  labelStrings?: number[];
}

/**
 * A query worker's storage channel to `storage`, as between threads but in one: each answer
 * packed against what the worker's label cache holds, its chunk bytes in a shared arena,
 * structured-cloned with its buffers transferred, marked sent and received in order, as the pool
 * and the worker do. Arenas are given back by the log's releases.
 */
export function workerChannel(storage: () => ChunkQueryable | Promise<ChunkQueryable>, log: ChannelLog = { calls: [], releases: [] }): StorageChannel {
  const sent = new SentLabels();
  const cache = new LabelCache();
  const resumes = new DecodeResumes();
  const arenas = new ChunkArenas(1 << 20);
  return async (call) => {
    log.calls.push(call);
    const answer = await answerStorageCall(await storage(), call, { aborted: false }, { sent, arenas });
    log.releases.push(answer.release);
    if (answer.result.kind === 'series') log.labelStrings?.push(answer.result.packed.strings.length);
    sent.add(answer.newlySent);
    return receiveStorageResult(structuredClone(answer.result, { transfer: answer.transfer }), cache, resumes);
  };
}

/** A query worker's view of `storage` through one {@link workerChannel} (its label cache and decode resume points); the arenas its answers lent go to `releases`. */
export function workerView(storage: () => ChunkQueryable, releases: (() => void)[]): RemoteQueryable {
  return new RemoteQueryable(workerChannel(storage, { calls: [], releases }), new AttachedBlocks(1 << 20));
}

/** A vector as sorted lines (label set, time, value; NaN spelled out) for comparing answers; other values as they are. */
export function canonical(v: Value): unknown {
  if (v.type !== 'vector') return v;
  return v.samples.map((s) => `${s.metric.toString()} ${s.t} ${Object.is(s.f, NaN) ? 'NaN' : s.f}`).sort();
}

/**
 * `queryable` with each series' optional reads (`readFloats`, `readFloatsAndMarkers`,
 * `readLatest`) hidden: the engine then walks the series' iterators, as before those reads existed.
 */
export function walkingOnly(queryable: Queryable): Queryable {
  return {
    async querier(mint, maxt): Promise<Querier> {
      const q = await queryable.querier(mint, maxt);
      return {
        mint: q.mint,
        maxt: q.maxt,
        labelValues: (...args) => q.labelValues(...args),
        labelNames: (...args) => q.labelNames(...args),
        close: () => q.close(),
        async select(matchers, options) {
          const set = await q.select(matchers, options);
          const series = set.series.map((s): Series => ({ labels: s.labels, iterator: (reuse) => s.iterator(reuse) }));
          return { series, warnings: set.warnings };
        },
      };
    },
  };
}
