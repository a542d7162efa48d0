import { Labels, type Matcher } from '@pyrometer/model';
import type { SampleIterator } from './iterator.js';
import { MergeSampleIterator } from './merge-iterator.js';
import { labelResult, type LabelResult, type Querier, type Queryable, type SelectHints, type Series, type SeriesSet } from './querier.js';

class MergedSeries implements Series {
  constructor(
    readonly labels: Labels,
    private readonly parts: readonly Series[],
  ) {}

  iterator(): SampleIterator {
    return new MergeSampleIterator(this.parts.map((p) => p.iterator()));
  }
}

/**
 * A querier over several queriers at once: series with equal label sets are merged into one whose
 * samples are ordered by timestamp (on equal timestamps the earlier querier wins), label queries
 * return the sorted union, warnings are concatenated, and `close` closes every part. Its bounds
 * are the union of the parts' bounds. It owns the given queriers. An error of any part fails the
 * call, as for Prometheus's primary queriers.
 */
export function mergeQueriers(...queriers: Querier[]): Querier {
  if (queriers.length === 1) return queriers[0]!;
  return new MergeQuerier(queriers);
}

/** A queryable whose queriers merge the queriers of all given queryables (see {@link mergeQueriers}). */
export function mergeQueryables(...queryables: Queryable[]): Queryable {
  return {
    async querier(mint: number, maxt: number): Promise<Querier> {
      const parts = await Promise.all(queryables.map((q) => q.querier(mint, maxt)));
      return mergeQueriers(...parts);
    },
  };
}

class MergeQuerier implements Querier {
  readonly mint: number;
  readonly maxt: number;

  constructor(private readonly parts: readonly Querier[]) {
    this.mint = Math.min(...parts.map((p) => p.mint));
    this.maxt = Math.max(...parts.map((p) => p.maxt));
  }

  async select(matchers: readonly Matcher[], options: { sortSeries?: boolean; hints?: SelectHints } = {}): Promise<SeriesSet> {
    const sets = await Promise.all(this.parts.map((p) => p.select(matchers, { ...options, sortSeries: true })));
    const warnings = sets.flatMap((s) => s.warnings);
    const nonEmpty = sets.filter((s) => s.series.length > 0);
    if (nonEmpty.length <= 1) return { series: nonEmpty[0]?.series ?? [], warnings };
    const series = mergeSorted(nonEmpty.map((s) => s.series));
    const limit = options.hints?.limit ?? 0;
    if (limit > 0 && series.length > limit) series.length = limit;
    return { series, warnings };
  }

  async labelValues(name: string, matchers?: readonly Matcher[], options?: { limit?: number }): Promise<LabelResult> {
    return unionResults(await Promise.all(this.parts.map((p) => p.labelValues(name, matchers, options))), options?.limit);
  }

  async labelNames(matchers?: readonly Matcher[], options?: { limit?: number }): Promise<LabelResult> {
    return unionResults(await Promise.all(this.parts.map((p) => p.labelNames(matchers, options))), options?.limit);
  }

  async close(): Promise<void> {
    await Promise.all(this.parts.map((p) => p.close()));
  }
}

/** Merges lists each sorted by labels into one sorted list, grouping equal label sets. */
function mergeSorted(lists: readonly (readonly Series[])[]): Series[] {
  const pos = new Array<number>(lists.length).fill(0);
  const out: Series[] = [];
  const group: Series[] = [];
  for (;;) {
    let min: Labels | undefined;
    for (let i = 0; i < lists.length; i++) {
      const s = lists[i]![pos[i]!];
      if (s !== undefined && (min === undefined || Labels.compare(s.labels, min) < 0)) min = s.labels;
    }
    if (min === undefined) return out;
    group.length = 0;
    for (let i = 0; i < lists.length; i++) {
      const s = lists[i]![pos[i]!];
      if (s !== undefined && s.labels.equals(min)) {
        group.push(s);
        pos[i]!++;
      }
    }
    out.push(group.length === 1 ? group[0]! : new MergedSeries(min, group.slice()));
  }
}

function unionResults(results: readonly LabelResult[], limit = 0): LabelResult {
  return labelResult(
    results.flatMap((r) => r.values),
    limit,
    results.flatMap((r) => r.warnings),
  );
}
