import type { BlockLease, ChunkQuerier } from '@pyrometer/tsdb';
import { fromWire } from './matcher-wire.js';
import type { StorageCall, StorageResult } from './protocol.js';
import { SeriesPacker, type PackerOptions } from './series-wire.js';

/** Where the main thread's storage answers come from: the TSDB's chunk-level queriers, block leases, oldest sample time and head size. */
export interface ChunkQueryable {
  chunkQuerier(mint: number, maxt: number, options?: { blocks?: boolean }): ChunkQuerier;
  leaseBlocks(mint: number, maxt: number): BlockLease;
  startTime(): number;
  readonly head: { readonly numSeries: number };
}

/**
 * An answer, the buffers to transfer with it, what gives back what it lends — blocks and the
 * arena of its chunk bytes (call once the task is done) — and the head refs whose labels it
 * carries (mark them sent as it is posted).
 */
export interface StorageAnswer {
  result: StorageResult;
  transfer: ArrayBuffer[];
  release: () => void;
  newlySent: readonly number[];
}

const NOTHING_LENT = (): void => {};

/** An answer that lends nothing and transfers nothing. */
function plain(result: StorageResult): StorageAnswer {
  return { result, transfer: [], release: NOTHING_LENT, newlySent: [] };
}

/**
 * The main thread's side of a worker's storage proxy: answers one storage call from the TSDB.
 * A select packs the head's matching series still encoded (the worker decodes them) and lends the
 * worker the files of the blocks in range, which it reads itself: the main thread spends only the
 * head's index lookups and a copy of its chunk bytes (into a shared arena, with `packing.arenas`).
 * A head series whose labels the worker holds (`packing.sent`) travels as its ref only. Regex
 * matchers arrive resolved to value sets (see matcher-wire.ts), so no user regex runs here.
 */
export async function answerStorageCall(storage: ChunkQueryable, call: StorageCall, signal: { readonly aborted: boolean }, packing: PackerOptions = {}): Promise<StorageAnswer> {
  if (call.call === 'startTime') return plain({ kind: 'time', ms: storage.startTime() });
  if (call.call === 'select') {
    const matchers = fromWire(call.matchers);
    if (matchers === undefined) {
      const packed = new SeriesPacker().finish();
      return { result: { kind: 'series', packed, blocks: [], warnings: [] }, transfer: SeriesPacker.transferList(packed), release: NOTHING_LENT, newlySent: [] };
    }
    const packer = new SeriesPacker(packing);
    const giveArena = (): void => {
      if (packer.arena !== undefined) packing.arenas?.give(packer.arena);
    };
    const lease = storage.leaseBlocks(call.mint, call.maxt);
    const head = storage.chunkQuerier(call.mint, call.maxt, { blocks: false });
    try {
      if (!signal.aborted) await head.visit(matchers, (source, s) => packer.add(source, s));
      const packed = packer.finish();
      const release = (): void => {
        lease.release();
        giveArena();
      };
      return { result: { kind: 'series', packed, blocks: [...lease.files], warnings: [] }, transfer: SeriesPacker.transferList(packed), release, newlySent: packer.newlySent };
    } catch (err) {
      lease.release();
      giveArena();
      throw err;
    } finally {
      await head.close();
    }
  }
  const querier = storage.chunkQuerier(call.mint, call.maxt);
  try {
    switch (call.call) {
      case 'labelValues':
      case 'labelNames': {
        const matchers = call.matchers === undefined ? undefined : fromWire(call.matchers);
        if (matchers === undefined && call.matchers !== undefined) return plain({ kind: 'strings', values: [], warnings: [] });
        const options = { limit: call.limit };
        const r = call.call === 'labelValues' ? await querier.labelValues(call.name, matchers, options) : await querier.labelNames(matchers, options);
        return plain({ kind: 'strings', values: [...r.values], warnings: [...r.warnings] });
      }
    }
  } finally {
    await querier.close();
  }
}
