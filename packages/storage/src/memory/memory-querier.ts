import { Labels, matchesAll, type Matcher } from '@pyrometer/model';
import { ArraySampleIterator } from '../array-iterator.js';
import { StorageError } from '../errors.js';
import type { SampleIterator } from '../iterator.js';
import { labelNamesOf, labelValuesOf, type LabelResult, type Querier, type SelectHints, type Series, type SeriesSet } from '../querier.js';
import type { MemorySeries } from './memory-series.js';

/** A series snapshot: copies of the samples in range, so later appends never disturb an iterator. */
class SnapshotSeries implements Series {
  constructor(
    readonly labels: Labels,
    private readonly ts: Float64Array,
    private readonly vs: Float64Array,
    private readonly stale: Uint8Array,
  ) {}

  iterator(): SampleIterator {
    return new ArraySampleIterator(this.ts, this.vs, this.stale);
  }
}

/** The querier of a MemoryStorage over [mint, maxt] (inclusive ms). */
export class MemoryQuerier implements Querier {
  private closed = false;

  constructor(
    private readonly series: ReadonlyMap<string, MemorySeries>,
    readonly mint: number,
    readonly maxt: number,
  ) {}

  async select(matchers: readonly Matcher[], options: { sortSeries?: boolean; hints?: SelectHints } = {}): Promise<SeriesSet> {
    this.checkOpen();
    if (matchers.length === 0) throw new StorageError('invalid_sample', 'select needs at least one matcher');
    // Hints never narrow the data: the querier's own bounds decide, as in Prometheus's head.
    const { mint, maxt } = this;
    const out: Series[] = [];
    for (const s of this.series.values()) {
      if (!matchesAll(matchers, s.labels)) continue;
      const from = s.lowerBound(mint);
      const to = s.lowerBound(maxt + 1);
      if (from >= to) continue;
      out.push(new SnapshotSeries(s.labels, Float64Array.from(s.ts.slice(from, to)), Float64Array.from(s.vs.slice(from, to)), Uint8Array.from(s.stale.slice(from, to))));
    }
    out.sort((a, b) => Labels.compare(a.labels, b.labels));
    const limit = options.hints?.limit ?? 0;
    if (limit > 0 && out.length > limit) out.length = limit;
    return { series: out, warnings: [] };
  }

  async labelValues(name: string, matchers: readonly Matcher[] = [], options: { limit?: number } = {}): Promise<LabelResult> {
    this.checkOpen();
    return labelValuesOf(this.matching(matchers), name, options.limit);
  }

  async labelNames(matchers: readonly Matcher[] = [], options: { limit?: number } = {}): Promise<LabelResult> {
    this.checkOpen();
    return labelNamesOf(this.matching(matchers), options.limit);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private *matching(matchers: readonly Matcher[]): Iterable<Labels> {
    for (const s of this.series.values()) if (matchesAll(matchers, s.labels) && s.hasSamplesIn(this.mint, this.maxt)) yield s.labels;
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageError('closed', 'querier is closed');
  }
}
