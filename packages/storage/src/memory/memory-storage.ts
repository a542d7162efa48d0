import { FloatHistogram, Histogram, type Labels } from '@pyrometer/model';
import type { Appendable, Appender, SeriesRef } from '../appender.js';
import type { StoredHistogram } from '../array-iterator.js';
import { ErrDuplicateSampleForTimestamp, ErrOutOfOrderSample, ErrTooOldSample, StorageError } from '../errors.js';
import { sameFloatBits } from '../float-bits.js';
import type { Querier, Queryable } from '../querier.js';
import { MemoryPostings } from './memory-postings.js';
import { MemoryQuerier } from './memory-querier.js';
import { MemorySeries } from './memory-series.js';

/** Options of {@link MemoryStorage}. */
export interface MemoryStorageOptions {
  /**
   * Out-of-order window in ms: a sample older than its series' newest sample is accepted when it is
   * no older than the storage's newest timestamp minus this window (Prometheus's
   * `out_of_order_time_window`). 0 rejects every out-of-order sample.
   */
  outOfOrderWindowMs: number;
}

/** The defaults: no out-of-order window, like Prometheus. */
export function defaultMemoryStorageOptions(): MemoryStorageOptions {
  return { outOfOrderWindowMs: 0 };
}

/**
 * A simple, correct in-memory {@link Appendable} and {@link Queryable} for tests of other packages.
 * Validation follows Prometheus's head: a sample older than its series' newest one is
 * `ErrOutOfOrderSample` (or `ErrTooOldSample` beyond an out-of-order window), the same timestamp with
 * different value bits is `ErrDuplicateSampleForTimestamp`, and an exact repeat is silently ignored.
 * Staleness markers are stored as such, native histograms as given (validated, then owned). A
 * batch becomes visible atomically when `commit` is called.
 * Single-threaded (JavaScript), so no locking. Selects use a label index (see {@link MemoryPostings}),
 * and the series they hand out share the stored samples, copied on write.
 */
export class MemoryStorage implements Appendable, Queryable {
  private readonly options: MemoryStorageOptions;
  private readonly byKey = new Map<string, MemorySeries>();
  /** Series by ref - 1, which is also their id in {@link postings}. */
  private readonly byRef: MemorySeries[] = [];
  private readonly postings = new MemoryPostings();
  private maxT = -Infinity;

  constructor(options: Partial<MemoryStorageOptions> = {}) {
    this.options = { ...defaultMemoryStorageOptions(), ...options };
  }

  appender(): Appender {
    return new MemoryAppender(this);
  }

  async querier(mint: number, maxt: number): Promise<Querier> {
    return new MemoryQuerier(this.byRef, this.postings, mint, maxt);
  }

  /** Number of series ever created (including ones whose batches were rolled back). */
  get seriesCount(): number {
    return this.byKey.size;
  }

  /** @internal */
  seriesFor(ref: SeriesRef, labels: Labels): MemorySeries {
    if (ref > 0) {
      const known = this.byRef[ref - 1];
      if (known !== undefined) return known;
    }
    if (labels.size === 0) throw new StorageError('invalid_sample', 'empty label set');
    const key = labels.key();
    let series = this.byKey.get(key);
    if (series === undefined) {
      series = new MemorySeries(this.byRef.length + 1, labels);
      this.postings.add(this.byRef.length, labels);
      this.byRef.push(series);
      this.byKey.set(key, series);
    }
    return series;
  }

  /**
   * @internal Validates one sample against the series' committed samples and the newest sample the
   * batch already holds for it (`pending`, or undefined). Returns false for an exact repeat to ignore.
   */
  check(series: MemorySeries, pending: PendingSample | undefined, t: number, v: number, stale: boolean, h: StoredHistogram | undefined): boolean {
    const committedMax = series.maxT;
    if (pending !== undefined && pending.t >= committedMax) {
      if (t > pending.t) return true;
      if (t === pending.t) {
        if (sameSample(pending, v, stale, h)) return false;
        throw ErrDuplicateSampleForTimestamp;
      }
    } else if (t > committedMax) return true;
    const i = series.lowerBound(t);
    if (series.ts[i] === t) {
      if (sameSample({ v: series.vs[i]!, stale: series.stale[i] === 1, h: series.histogramAt(i) }, v, stale, h)) return false;
      throw ErrDuplicateSampleForTimestamp;
    }
    const window = this.options.outOfOrderWindowMs;
    if (window <= 0) throw ErrOutOfOrderSample;
    if (t < this.maxT - window) throw ErrTooOldSample;
    return true;
  }

  /** @internal Applies a validated batch. */
  apply(series: MemorySeries[], ts: number[], vs: number[], stale: boolean[], hs: (StoredHistogram | undefined)[]): void {
    for (let i = 0; i < series.length; i++) {
      if (series[i]!.insert(ts[i]!, vs[i]!, stale[i]!, hs[i]) && ts[i]! > this.maxT) this.maxT = ts[i]!;
    }
  }
}

/** The newest sample a batch holds for one series. */
interface PendingSample {
  t: number;
  v: number;
  stale: boolean;
  h: StoredHistogram | undefined;
}

/** Whether a new sample repeats an existing one exactly (same kind, same bits or equal histogram). */
function sameSample(old: { v: number; stale: boolean; h: StoredHistogram | undefined }, v: number, stale: boolean, h: StoredHistogram | undefined): boolean {
  if (old.h === undefined || h === undefined) return old.h === h && sameFloatBits(old.v, v) && old.stale === stale;
  if (old.h instanceof Histogram) return h instanceof Histogram && old.h.equals(h);
  return h instanceof FloatHistogram && old.h.equals(h);
}

/** Validates a histogram at the storage's door, as a StorageError naming the problem. */
function validated(h: StoredHistogram): StoredHistogram {
  try {
    h.validate();
  } catch (err) {
    throw new StorageError('invalid_sample', `invalid histogram: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return h;
}

class MemoryAppender implements Appender {
  private series: MemorySeries[] = [];
  private ts: number[] = [];
  private vs: number[] = [];
  private stale: boolean[] = [];
  private hs: (StoredHistogram | undefined)[] = [];
  private readonly pendingMax = new Map<MemorySeries, PendingSample>();
  private done = false;

  constructor(private readonly storage: MemoryStorage) {}

  append(ref: SeriesRef, labels: Labels, t: number, value: number, stale = false): SeriesRef {
    return this.add(ref, labels, t, stale ? NaN : value, stale, undefined);
  }

  appendHistogram(ref: SeriesRef, labels: Labels, t: number, h: Histogram | FloatHistogram): SeriesRef {
    return this.add(ref, labels, t, 0, false, validated(h));
  }

  private add(ref: SeriesRef, labels: Labels, t: number, v: number, stale: boolean, h: StoredHistogram | undefined): SeriesRef {
    if (this.done) throw new StorageError('closed', 'appender already committed or rolled back');
    if (!Number.isSafeInteger(t)) throw new StorageError('invalid_sample', `timestamp ${t} is not an integer number of milliseconds`);
    const series = this.storage.seriesFor(ref, labels);
    const pending = this.pendingMax.get(series);
    if (!this.storage.check(series, pending, t, v, stale, h)) return series.ref;
    this.series.push(series);
    this.ts.push(t);
    this.vs.push(v);
    this.stale.push(stale);
    this.hs.push(h);
    if (pending === undefined) this.pendingMax.set(series, { t, v, stale, h });
    else if (t > pending.t) {
      pending.t = t;
      pending.v = v;
      pending.stale = stale;
      pending.h = h;
    }
    return series.ref;
  }

  async commit(): Promise<void> {
    if (this.done) throw new StorageError('closed', 'appender already committed or rolled back');
    this.done = true;
    this.storage.apply(this.series, this.ts, this.vs, this.stale, this.hs);
    this.release();
  }

  async rollback(): Promise<void> {
    if (this.done) throw new StorageError('closed', 'appender already committed or rolled back');
    this.done = true;
    this.release();
  }

  private release(): void {
    this.series = [];
    this.ts = [];
    this.vs = [];
    this.stale = [];
    this.hs = [];
    this.pendingMax.clear();
  }
}
