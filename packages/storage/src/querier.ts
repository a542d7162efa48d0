import type { FloatHistogram, Labels, Matcher } from '@pyrometer/model';
import type { FloatColumns } from './float-columns.js';
import type { SampleIterator } from './iterator.js';

/** One series as a querier hands it out: its labels and a way to walk its samples in [mint, maxt]. */
export interface Series {
  readonly labels: Labels;
  /**
   * An iterator over the series' samples within the querier's bounds. `reuse`, an iterator the
   * caller is done with (from any series), may be reset onto this series and returned instead of
   * a fresh one, sparing its buffers' allocation; implementations are free to ignore it.
   */
  iterator(reuse?: SampleIterator): SampleIterator;
  /**
   * Optional bulk read, the same samples as a walk of {@link iterator} gives: appends the float
   * samples with mint ≤ t ≤ maxt (ms, within the querier's bounds), staleness markers left out,
   * to `out`. Returns the error that ended the read early (see SampleIterator.err), if any.
   */
  readFloats?(mint: number, maxt: number, out: FloatColumns): Error | undefined;
  /**
   * Optional bulk read, offered only by a series whose samples are all floats (no native
   * histograms): {@link readFloats} with the staleness markers kept, their bits in `out.words`
   * (tell them apart with `isStaleNaNWords`). The same samples a walk of {@link iterator} over
   * [mint, maxt] gives, so an instant evaluation can find each step's latest sample in columns.
   */
  readFloatsAndMarkers?(mint: number, maxt: number, out: FloatColumns): Error | undefined;
  /**
   * Optional read of the one sample an instant evaluation needs: the series' latest sample
   * with mint ≤ t ≤ maxt (ms, within the querier's bounds) into `out`, a staleness marker included
   * (`out.stale`); `out.t` is −Infinity when there is none. The same sample as the last one a walk
   * of {@link iterator} over [mint, maxt] gives, without walking the samples before it (a reader
   * keeping decode resume points decodes from near `maxt`). Returns the error of a chunk that
   * could not be read, if any: the series is then incomplete, and `out` may miss its latest sample.
   */
  readLatest?(mint: number, maxt: number, out: LatestSample): Error | undefined;
}

/**
 * The sample {@link Series.readLatest} found: its time (−Infinity: none), whether it is a
 * staleness marker, and its value: `f` for a float sample, else the histogram `h` (undefined for
 * float samples and staleness markers).
 */
export interface LatestSample {
  t: number;
  f: number;
  stale: boolean;
  h: FloatHistogram | undefined;
}

/**
 * The result of a select: series sorted by labels (`Labels.compare`) when `sortSeries` was asked
 * for (otherwise in any order), each label set at most once, plus warnings about partial data.
 */
export interface SeriesSet {
  readonly series: readonly Series[];
  readonly warnings: readonly string[];
}

/**
 * Hints a query engine passes to select, all times in ms. Implementations may use them to read
 * less; they never change which samples a correct caller observes within [start, end].
 */
export interface SelectHints {
  /** Start of the data the caller needs (inclusive). */
  start: number;
  /** End of the data the caller needs (inclusive). */
  end: number;
  /** Query step, 0 for instant queries. */
  step?: number;
  /** Range of a range selector, 0 otherwise. */
  range?: number;
  /** The surrounding function name, e.g. "rate", or "series" for metadata-only selects. */
  func?: string;
  /** Series limit; 0 or absent means none. */
  limit?: number;
}

/** Names or values found by a label query, sorted and unique, with warnings. */
export interface LabelResult {
  readonly values: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * A read view of the storage over the inclusive time range [mint, maxt] (ms) given at creation.
 * Data appended after the querier was created may or may not be visible. Every method is async
 * because data may come from disk; the series handed out hold what their iterators need. Call
 * `close` when done (it releases what the querier pinned); using a closed querier is an error.
 */
export interface Querier {
  readonly mint: number;
  readonly maxt: number;
  /** Series matching all matchers (at least one matcher must be given), restricted to [mint, maxt]. */
  select(matchers: readonly Matcher[], options?: { sortSeries?: boolean; hints?: SelectHints }): Promise<SeriesSet>;
  /** Sorted unique values of `name` over series matching all matchers (all series when none). */
  labelValues(name: string, matchers?: readonly Matcher[], options?: { limit?: number }): Promise<LabelResult>;
  /** Sorted unique label names over series matching all matchers (all series when none). */
  labelNames(matchers?: readonly Matcher[], options?: { limit?: number }): Promise<LabelResult>;
  close(): Promise<void>;
}

/** Something that can be queried. */
export interface Queryable {
  /** A querier over [mint, maxt], inclusive, in ms. */
  querier(mint: number, maxt: number): Promise<Querier>;
}

/** Builds a {@link LabelResult}: the strings sorted by code unit order, deduplicated, cut to `limit` (0 = none). */
export function labelResult(values: Iterable<string>, limit = 0, warnings: readonly string[] = []): LabelResult {
  const out = [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (limit > 0 && out.length > limit) out.length = limit;
  return { values: out, warnings };
}

/** The {@link LabelResult} of the non-empty values of label `name` over `sets`. */
export function labelValuesOf(sets: Iterable<Labels>, name: string, limit = 0): LabelResult {
  const values = new Set<string>();
  for (const labels of sets) {
    const v = labels.get(name);
    if (v !== '') values.add(v);
  }
  return labelResult(values, limit);
}

/** The {@link LabelResult} of the label names used by `sets`. */
export function labelNamesOf(sets: Iterable<Labels>, limit = 0): LabelResult {
  const names = new Set<string>();
  for (const labels of sets) labels.forEach((n) => names.add(n));
  return labelResult(names, limit);
}
