import type { Labels } from '@pyrometer/model';
import { ErrDuplicateSampleForTimestamp, ErrOutOfBounds, ErrOutOfOrderSample, ErrTooOldSample, sameFloatBits, StorageError, type Appender, type SeriesRef } from '@pyrometer/storage';
import type { AppendBuffer, Head } from './head.js';
import type { HeadSeries } from './head-series.js';

const ErrEmptyLabels = new StorageError('invalid_sample', 'empty label set');
const ErrHistogramsUnsupported = new StorageError('invalid_sample', 'native histograms are not stored by the TSDB yet');
const ErrAppenderDone = new StorageError('closed', 'appender already committed or rolled back');

/**
 * A batch of samples for the head. `append` validates against the series' committed newest sample
 * and the batch's own newest sample for that series, then buffers; `commit` logs the batch (WAL)
 * and then applies it in one synchronous step, so a query sees all of it or none of it.
 */
export class HeadAppender implements Appender {
  private readonly buf: AppendBuffer;
  /** Samples buffered; the arrays are pooled and may be longer (entries past n are stale). */
  private n = 0;
  private readonly series: HeadSeries[];
  private readonly ts: number[];
  private readonly vs: number[];
  private readonly stale: boolean[];
  private done = false;
  private readonly minValid: number;
  private readonly maxValid: number;

  constructor(private readonly head: Head) {
    this.buf = head.takeAppendBuffer();
    ({ series: this.series, ts: this.ts, vs: this.vs, stale: this.stale } = this.buf);
    this.minValid = head.appendableMinValidTime();
    this.maxValid = head.options.now() + head.options.maxFutureMs;
  }

  appendHistogram(): SeriesRef {
    throw ErrHistogramsUnsupported;
  }

  append(ref: SeriesRef, labels: Labels, t: number, value: number, stale = false): SeriesRef {
    if (this.done) throw ErrAppenderDone;
    const head = this.head;
    let s = ref > 0 ? head.seriesByRef(ref) : undefined;
    if (s === undefined) {
      if (labels.size === 0) throw ErrEmptyLabels;
      s = head.getOrCreate(labels);
    }
    if (!Number.isSafeInteger(t)) throw new StorageError('invalid_sample', `timestamp ${t} of series ${s.labels.toString()} is not an integer number of milliseconds`);
    if (t < this.minValid && head.options.outOfOrderWindowMs === 0) {
      head.stats.outOfBoundsSamples++;
      throw ErrOutOfBounds;
    }
    if (t > this.maxValid) {
      head.stats.outOfBoundsSamples++;
      throw ErrOutOfBounds;
    }
    let newest = s.maxT;
    let inBatch = false;
    const pendingT = s.pendingBy === this ? this.ts[s.pendingAt]! : -Infinity;
    if (pendingT >= newest) {
      newest = pendingT;
      inBatch = true;
    }
    if (t <= newest) {
      if (t === newest) {
        const last = inBatch ? { v: this.vs[s.pendingAt]!, stale: this.stale[s.pendingAt]! } : s.last(head.options.chunks);
        if (stale ? last.stale : !last.stale && sameFloatBits(last.v, value)) return s.ref;
        head.stats.duplicateSamples++;
        throw ErrDuplicateSampleForTimestamp;
      }
      if (!this.checkOutOfOrder(s, t, value, stale)) return s.ref;
    } else if (t < this.minValid) {
      // In order for its series but older than the head accepts in-order samples: upstream takes it
      // when the out-of-order window reaches back that far, and refuses it as too old otherwise.
      const window = head.options.outOfOrderWindowMs;
      if (window <= 0 || t < head.maxT - window || t < head.minValidTime) {
        head.stats.outOfBoundsSamples++;
        throw window > 0 ? ErrTooOldSample : ErrOutOfBounds;
      }
    }
    const n = this.n++;
    this.series[n] = s;
    this.ts[n] = t;
    this.vs[n] = stale ? NaN : value;
    this.stale[n] = stale;
    if (s.pendingBy !== this || t > pendingT) {
      s.pendingBy = this;
      s.pendingAt = n;
    }
    return s.ref;
  }

  /** Accepts a sample older than the series' newest inside the out-of-order window, or throws. */
  private checkOutOfOrder(s: HeadSeries, t: number, value: number, stale: boolean): boolean {
    const head = this.head;
    const window = head.options.outOfOrderWindowMs;
    if (window <= 0) {
      head.stats.outOfOrderSamples++;
      throw ErrOutOfOrderSample;
    }
    if (t < head.maxT - window || t < head.minValidTime) {
      head.stats.tooOldSamples++;
      throw ErrTooOldSample;
    }
    const existing = s.lookup(t, head.options.chunks);
    if (existing === undefined) return true;
    if (stale ? existing[1] : !existing[1] && sameFloatBits(existing[0], value)) return false;
    head.stats.duplicateSamples++;
    throw ErrDuplicateSampleForTimestamp;
  }

  async commit(): Promise<void> {
    if (this.done) throw ErrAppenderDone;
    this.done = true;
    const head = this.head;
    try {
      const log = head.options.log;
      const n = this.n;
      const oooCount = head.options.outOfOrderWindowMs > 0 ? this.classify() : 0;
      if (log !== undefined && n > 0) {
        const newSeries: HeadSeries[] = [];
        for (let i = 0; i < n; i++) {
          const s = this.series[i]!;
          if (!s.logged) {
            s.logged = true;
            newSeries.push(s);
          }
        }
        try {
          log({ newSeries, n, series: this.series, ts: this.ts, vs: this.vs, stale: this.stale, ooo: this.buf.ooo, oooCount });
        } catch (err) {
          for (const s of newSeries) s.logged = false;
          throw new StorageError('internal', `writing the WAL failed, batch of ${n} samples dropped: ${String(err)}`, { cause: err });
        }
      }
      for (let i = 0; i < n; i++) {
        const s = this.series[i]!;
        // A concurrent batch may have committed a newer sample meanwhile; upstream drops such samples.
        if (!head.applySample(s, this.ts[i]!, this.vs[i]!, this.stale[i]!)) head.stats.outOfOrderSamples++;
      }
      head.options.chunks.flush();
    } finally {
      this.release();
    }
  }

  /**
   * Marks which samples the head will take as out of order: older than their series' newest
   * committed sample or an earlier sample of this batch. Runs in the same synchronous step as the
   * apply, so it says exactly what the apply will do. Returns how many.
   */
  private classify(): number {
    const ooo = this.buf.ooo;
    // Each series' newest in-order sample of this batch so far, kept here (not on every series: only
    // heads with an out-of-order window classify).
    const newestAt = new Map<HeadSeries, number>();
    let count = 0;
    for (let i = 0; i < this.n; i++) {
      const s = this.series[i]!;
      const t = this.ts[i]!;
      const at = newestAt.get(s);
      const newest = at !== undefined ? this.ts[at]! : s.maxT;
      if (t > newest) {
        newestAt.set(s, i);
        ooo[i] = false;
      } else {
        ooo[i] = true;
        count++;
      }
    }
    return count;
  }

  async rollback(): Promise<void> {
    if (this.done) throw ErrAppenderDone;
    this.done = true;
    this.release();
  }

  private release(): void {
    for (let i = 0; i < this.n; i++) {
      const s = this.series[i]!;
      if (s.pendingBy === this) s.pendingBy = undefined;
    }
    this.n = 0;
    this.head.returnAppendBuffer(this.buf);
  }
}
