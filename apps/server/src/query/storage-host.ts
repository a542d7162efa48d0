import type { ChunkQuerier } from '@pyrometer/tsdb';
import { fromWire } from './matcher-wire.js';
import type { StorageCall, StorageResult } from './protocol.js';
import { SeriesPacker } from './series-wire.js';

/** Where the main thread's storage answers come from: the TSDB's chunk-level queriers. */
export interface ChunkQueryable {
  chunkQuerier(mint: number, maxt: number): ChunkQuerier;
}

/** An answer and the buffers to transfer with it. */
export interface StorageAnswer {
  result: StorageResult;
  transfer: ArrayBuffer[];
}

/**
 * The main thread's side of a worker's storage proxy: answers one storage call from the TSDB.
 * Selects pack the matching series still encoded (the worker decodes them), so the main thread
 * spends only the index lookups and a copy of the chunk bytes. Regex matchers arrive resolved to
 * value sets (see matcher-wire.ts), so no user regex runs here. `signal` stops a block visit
 * between slices once the task is canceled.
 */
export async function answerStorageCall(storage: ChunkQueryable, call: StorageCall, signal: { readonly aborted: boolean }): Promise<StorageAnswer> {
  const querier = storage.chunkQuerier(call.mint, call.maxt);
  try {
    switch (call.call) {
      case 'select': {
        const packer = new SeriesPacker();
        const matchers = fromWire(call.matchers);
        if (matchers !== undefined) await querier.visit(matchers, (source, s) => packer.add(source, s), signal);
        const packed = packer.finish();
        return { result: { kind: 'series', packed, warnings: [] }, transfer: SeriesPacker.transferList(packed) };
      }
      case 'labelValues':
      case 'labelNames': {
        const matchers = call.matchers === undefined ? undefined : fromWire(call.matchers);
        if (matchers === undefined && call.matchers !== undefined) return { result: { kind: 'strings', values: [], warnings: [] }, transfer: [] };
        const options = { limit: call.limit };
        const r = call.call === 'labelValues' ? await querier.labelValues(call.name, matchers, options) : await querier.labelNames(matchers, options);
        return { result: { kind: 'strings', values: [...r.values], warnings: [...r.warnings] }, transfer: [] };
      }
    }
  } finally {
    await querier.close();
  }
}
