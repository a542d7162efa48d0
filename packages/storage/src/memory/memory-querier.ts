import { type CounterResetHint, type FloatHistogram, type Histogram, Labels, type Matcher } from '@pyrometer/model';
import { ArraySampleIterator, type StoredHistogram } from '../array-iterator.js';
import { StorageError } from '../errors.js';
import type { SampleIterator } from '../iterator.js';
import { labelNamesOf, labelValuesOf, type LabelResult, type Querier, type SelectHints, type Series, type SeriesSet } from '../querier.js';
import type { MemoryPostings } from './memory-postings.js';
import type { MemorySeries } from './memory-series.js';
import { readHint } from './read-hint.js';

/** A series snapshot: the index range [from, to) of arrays that later appends never disturb. */
class SnapshotSeries implements Series {
  readonly labels: Labels;
  private readonly ts: readonly number[];
  private readonly vs: readonly number[];
  private readonly stale: readonly number[];
  private readonly hs: readonly (StoredHistogram | undefined)[] | undefined;

  constructor(
    series: MemorySeries,
    private readonly from: number,
    private readonly to: number,
  ) {
    this.labels = series.labels;
    ({ ts: this.ts, vs: this.vs, stale: this.stale, hs: this.hs } = series.share());
  }

  iterator(): SampleIterator {
    if (this.hs === undefined) return new ArraySampleIterator(this.ts, this.vs, this.stale, this.from, this.to);
    return new MemorySampleIterator(this.ts, this.vs, this.stale, this.from, this.to, this.hs);
  }
}

/** The iterator of a series with histograms: histograms carry the hint the TSDB would report (see readHint). */
class MemorySampleIterator extends ArraySampleIterator {
  constructor(
    ts: readonly number[],
    vs: readonly number[],
    stale: readonly number[],
    from: number,
    to: number,
    private readonly histograms: readonly (StoredHistogram | undefined)[],
  ) {
    super(ts, vs, stale, from, to, histograms);
  }

  override atHistogram(): Histogram {
    const h = super.atHistogram();
    h.counterResetHint = this.hint();
    return h;
  }

  override atFloatHistogram(): FloatHistogram {
    const h = super.atFloatHistogram();
    h.counterResetHint = this.hint();
    return h;
  }

  private hint(): CounterResetHint {
    return readHint(this.histograms[this.i]!, this.i > 0 ? this.histograms[this.i - 1] : undefined);
  }
}

/** The querier of a MemoryStorage over [mint, maxt] (inclusive ms). */
export class MemoryQuerier implements Querier {
  private closed = false;

  constructor(
    private readonly series: readonly MemorySeries[],
    private readonly postings: MemoryPostings,
    readonly mint: number,
    readonly maxt: number,
  ) {}

  async select(matchers: readonly Matcher[], options: { sortSeries?: boolean; hints?: SelectHints } = {}): Promise<SeriesSet> {
    this.checkOpen();
    if (matchers.length === 0) throw new StorageError('invalid_sample', 'select needs at least one matcher');
    // Hints never narrow the data: the querier's own bounds decide, as in Prometheus's head.
    const { mint, maxt } = this;
    const out: Series[] = [];
    for (const id of this.postings.select(matchers)) {
      const s = this.series[id]!;
      const from = s.lowerBound(mint);
      const to = s.lowerBound(maxt + 1);
      if (from < to) out.push(new SnapshotSeries(s, from, to));
    }
    // Without sortSeries the order is the series' creation order.
    if (options.sortSeries === true) out.sort((a, b) => Labels.compare(a.labels, b.labels));
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
    const ids = matchers.length === 0 ? this.series.keys() : this.postings.select(matchers);
    for (const id of ids) {
      const s = this.series[id]!;
      if (s.hasSamplesIn(this.mint, this.maxt)) yield s.labels;
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageError('closed', 'querier is closed');
  }
}
