import type { Matcher } from '@pyrometer/model';
import { labelResult, StorageError, type LabelResult, type Querier, type Queryable, type SelectHints, type SeriesSet } from '@pyrometer/storage';
import { groupSeriesChunks, type AttachedBlocks, type BlockFiles, type DecodeResumes, type SeriesChunks } from '@pyrometer/tsdb';
import type { LabelCache } from './label-cache.js';
import { toWire, type WireMatcher } from './matcher-wire.js';
import type { StorageCall, StorageResult } from './protocol.js';
import { unpackSeries } from './series-wire.js';
import type { SelectedChunks, SharedSelects } from './shared-selects.js';

/** A storage answer as a worker holds it: a select's head series already unpacked. */
export type ReceivedResult = Exclude<StorageResult, { kind: 'series' }> | { kind: 'series'; head: SeriesChunks[]; blocks: BlockFiles[]; warnings: string[] };

/** Sends one storage call to the main thread and resolves with its answer, received (rejects with the main thread's error). */
export type StorageChannel = (call: StorageCall) => Promise<ReceivedResult>;

/**
 * Unpacks a storage answer as it arrives. Answers must be received in the order they were sent:
 * one may leave out the labels of head series an earlier one carried into `cache`. Head series
 * decode their chunks from the points `resumes` keeps (kept with `cache`, see DecodeResumes).
 */
export function receiveStorageResult(result: StorageResult, cache: LabelCache, resumes?: DecodeResumes): ReceivedResult {
  if (result.kind !== 'series') return result;
  return { kind: 'series', head: unpackSeries(result.packed, cache, resumes), blocks: result.blocks, warnings: result.warnings };
}

/**
 * The storage seam inside a query worker: a {@link Queryable} whose queriers forward every call to
 * the main thread over `channel`. Regex matchers are resolved here first (see matcher-wire.ts), so
 * a huge or slow regex costs this worker, never the ingestion thread. A select gets the head's
 * series still encoded and the blocks of its range lent, which this thread reads itself through
 * `blocks`; everything is decoded lazily by the iterators, here. One instance per task; `signal`
 * stops a block visit between slices; `shared` (a rule batch's) answers repeated selects of the
 * batch's queries from the first.
 */
export class RemoteQueryable implements Queryable {
  constructor(
    private readonly channel: StorageChannel,
    private readonly blocks: AttachedBlocks,
    private readonly signal?: { readonly aborted: boolean },
    private readonly shared?: SharedSelects,
  ) {}

  async querier(mint: number, maxt: number): Promise<Querier> {
    return new RemoteQuerier(this.channel, this.blocks, this.signal, mint, maxt, this.shared);
  }
}

class RemoteQuerier implements Querier {
  private closed = false;
  /** The values of each label name over [mint, maxt], fetched once for resolving regex matchers. */
  private readonly labelValueLists = new Map<string, Promise<readonly string[]>>();

  constructor(
    private readonly channel: StorageChannel,
    private readonly blocks: AttachedBlocks,
    private readonly signal: { readonly aborted: boolean } | undefined,
    readonly mint: number,
    readonly maxt: number,
    private readonly shared: SharedSelects | undefined,
  ) {}

  async select(matchers: readonly Matcher[], options: { sortSeries?: boolean; hints?: SelectHints } = {}): Promise<SeriesSet> {
    this.checkOpen();
    if (matchers.length === 0) throw new StorageError('invalid_sample', 'select needs at least one matcher');
    const fetch = (mint: number, maxt: number) => this.fetchChunks(matchers, mint, maxt);
    const limit = options.hints?.limit ?? 0;
    // A limited select counts series: it reads its own answer, never a wider shared one.
    const own = this.shared === undefined || limit > 0;
    const { sources, warnings } = await (own ? fetch(this.mint, this.maxt) : this.shared.select(this.mint, this.maxt, matchers, fetch));
    // Bounded to this querier's range: a shared answer may cover more.
    return { series: groupSeriesChunks(sources, this.mint, this.maxt, options.sortSeries !== false, limit), warnings };
  }

  private async fetchChunks(matchers: readonly Matcher[], mint: number, maxt: number): Promise<SelectedChunks> {
    const answer = await this.channel({ call: 'select', mint, maxt, matchers: await this.wire(matchers) });
    if (answer.kind !== 'series') throw new StorageError('internal', `storage answered a select with ${answer.kind}`);
    // Blocks first, then the head: on equal timestamps the earlier source wins, as in the TSDB.
    const sources: SeriesChunks[][] = answer.blocks.map(() => []);
    await this.blocks.visit(answer.blocks, matchers, mint, maxt, (source, s) => sources[source]!.push(s), this.signal);
    sources.push(answer.head);
    return { sources, warnings: answer.warnings };
  }

  async labelValues(name: string, matchers?: readonly Matcher[], options: { limit?: number } = {}): Promise<LabelResult> {
    this.checkOpen();
    const wire = matchers === undefined || matchers.length === 0 ? undefined : await this.wire(matchers);
    return this.strings({ call: 'labelValues', mint: this.mint, maxt: this.maxt, name, matchers: wire, limit: options.limit ?? 0 });
  }

  async labelNames(matchers?: readonly Matcher[], options: { limit?: number } = {}): Promise<LabelResult> {
    this.checkOpen();
    const wire = matchers === undefined || matchers.length === 0 ? undefined : await this.wire(matchers);
    return this.strings({ call: 'labelNames', mint: this.mint, maxt: this.maxt, matchers: wire, limit: options.limit ?? 0 });
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private wire(matchers: readonly Matcher[]): Promise<WireMatcher[]> {
    return toWire(matchers, (name) => {
      let list = this.labelValueLists.get(name);
      if (list === undefined) {
        list = this.strings({ call: 'labelValues', mint: this.mint, maxt: this.maxt, name, matchers: undefined, limit: 0 }).then((r) => r.values);
        this.labelValueLists.set(name, list);
      }
      return list;
    });
  }

  private async strings(call: StorageCall): Promise<LabelResult> {
    const answer = await this.channel(call);
    if (answer.kind !== 'strings') throw new StorageError('internal', `storage answered a ${call.call} with ${answer.kind}`);
    return labelResult(answer.values, 0, answer.warnings);
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageError('closed', 'querier is closed');
  }
}
