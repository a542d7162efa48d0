import type { Matcher } from '@pyrometer/model';
import { labelResult, StorageError, type LabelResult, type Querier, type Queryable, type SelectHints, type SeriesSet } from '@pyrometer/storage';
import { groupSeriesChunks, type AttachedBlocks, type SeriesChunks } from '@pyrometer/tsdb';
import { toWire, type WireMatcher } from './matcher-wire.js';
import type { StorageCall, StorageResult } from './protocol.js';
import { unpackSeries } from './series-wire.js';

/** Sends one storage call to the main thread and resolves with its answer (rejects with the main thread's error). */
export type StorageChannel = (call: StorageCall) => Promise<StorageResult>;

/** What one select read: the series of each lent block, then the head's, still encoded; and the storage's warnings. */
interface SelectedChunks {
  sources: SeriesChunks[][];
  warnings: string[];
}

/**
 * The storage seam inside a query worker: a {@link Queryable} whose queriers forward every call to
 * the main thread over `channel`. Regex matchers are resolved here first (see matcher-wire.ts), so
 * a huge or slow regex costs this worker, never the ingestion thread. A select gets the head's
 * series still encoded and the blocks of its range lent, which this thread reads itself through
 * `blocks`; everything is decoded lazily by the iterators, here. One instance per task; `signal`
 * stops a block visit between slices.
 *
 * With `shareSelects` (a rule batch: many rules of a group read the same series over the same
 * range at the same time), a select of the same matchers over the same range as an earlier one of
 * the task reuses its chunks instead of asking the main thread again: one storage call per
 * distinct selector per batch. The batch's queries then read one snapshot of the head, as the
 * selects of one query do.
 */
export class RemoteQueryable implements Queryable {
  private readonly selected: Map<string, Promise<SelectedChunks>> | undefined;

  constructor(
    private readonly channel: StorageChannel,
    private readonly blocks: AttachedBlocks,
    private readonly signal?: { readonly aborted: boolean },
    options: { shareSelects?: boolean } = {},
  ) {
    this.selected = options.shareSelects === true ? new Map() : undefined;
  }

  async querier(mint: number, maxt: number): Promise<Querier> {
    return new RemoteQuerier(this.channel, this.blocks, this.signal, mint, maxt, this.selected);
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
    /** The task's earlier selects by range and matchers, when they are shared. */
    private readonly selected: Map<string, Promise<SelectedChunks>> | undefined,
  ) {}

  async select(matchers: readonly Matcher[], options: { sortSeries?: boolean; hints?: SelectHints } = {}): Promise<SeriesSet> {
    this.checkOpen();
    if (matchers.length === 0) throw new StorageError('invalid_sample', 'select needs at least one matcher');
    const { sources, warnings } = await this.selectChunks(matchers);
    return { series: groupSeriesChunks(sources, this.mint, this.maxt, options.sortSeries !== false, options.hints?.limit ?? 0), warnings };
  }

  /** The chunks of the series `matchers` select over this querier's range: fetched, or an earlier select's when shared. */
  private selectChunks(matchers: readonly Matcher[]): Promise<SelectedChunks> {
    if (this.selected === undefined) return this.fetchChunks(matchers);
    const key = selectKey(this.mint, this.maxt, matchers);
    let chunks = this.selected.get(key);
    if (chunks === undefined) {
      chunks = this.fetchChunks(matchers);
      this.selected.set(key, chunks);
      // A failed select is not shared: the next one asks again.
      chunks.catch(() => this.selected?.delete(key));
    }
    return chunks;
  }

  private async fetchChunks(matchers: readonly Matcher[]): Promise<SelectedChunks> {
    const answer = await this.channel({ call: 'select', mint: this.mint, maxt: this.maxt, matchers: await this.wire(matchers) });
    if (answer.kind !== 'series') throw new StorageError('internal', `storage answered a select with ${answer.kind}`);
    // Blocks first, then the head: on equal timestamps the earlier source wins, as in the TSDB.
    const sources: SeriesChunks[][] = answer.blocks.map(() => []);
    await this.blocks.visit(answer.blocks, matchers, this.mint, this.maxt, (source, s) => sources[source]!.push(s), this.signal);
    sources.push(unpackSeries(answer.packed).map((u) => u.data));
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

/** Identifies a select by its range and matchers (in their order: the same selector text gives the same order). */
function selectKey(mint: number, maxt: number, matchers: readonly Matcher[]): string {
  let key = `${mint} ${maxt}`;
  for (const m of matchers) key += `\u0000${m.type}\u0000${m.name}\u0000${m.value}`;
  return key;
}
