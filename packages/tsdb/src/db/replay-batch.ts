import { StorageError } from '@pyrometer/storage';
import type { Head } from '../head/head.js';
import type { HeadSeries } from '../head/head-series.js';

// Samples buffered before they are applied (about 29 bytes each). The buffer starts small (a short
// WAL costs little), doubles each time it fills up to TARGET_CAPACITY, and beyond that, up to
// MAX_CAPACITY, while a flush holds fewer than SAMPLES_PER_SERIES samples per series.
const INITIAL_CAPACITY = 1 << 16;
const TARGET_CAPACITY = 1 << 20;
const MAX_CAPACITY = 1 << 23;
const SAMPLES_PER_SERIES = 4;
/** Series refs from here on are applied at once, ungrouped (the count array is indexed by ref). */
const MAX_GROUPED_REF = 1 << 24;

/**
 * Buffers replayed WAL samples and applies them to the head grouped by series. A WAL holds one
 * sample per series per scrape, so applying in record order touches every series' chunk once per
 * sample, each time a cache miss; grouping the samples of many records first (a stable counting sort
 * by series ref) lets each series take several samples in a row. Per series the WAL order is kept,
 * which is all the head needs: samples of different series are independent. Each run of one
 * series' samples looks the series up once. Samples are added under the series' head ref; the
 * series must stay in the head until {@link flush}.
 */
export class ReplayBatch {
  private n = 0;
  private capacity = 0;
  private ts = new Float64Array(0);
  private vs = new Float64Array(0);
  private stale = new Uint8Array(0);
  private order = new Int32Array(0);
  private slots = new Int32Array(0);
  /** Per series ref: samples counted, then where its group starts. Zero between flushes. */
  private counts: Int32Array = new Int32Array(0);
  private readonly touched: number[] = [];
  /** Samples the head accepted. */
  applied = 0;

  /** @param initialCapacity samples buffered before the first flush. */
  constructor(
    private readonly head: Head,
    initialCapacity = INITIAL_CAPACITY,
  ) {
    this.allocate(initialCapacity);
  }

  /** Adds a sample of the head series with ref `ref` (which must exist). */
  add(ref: number, t: number, v: number, stale: boolean): void {
    if (ref >= MAX_GROUPED_REF) {
      if (this.head.applySample(this.series(ref), t, v, stale)) this.applied++;
      return;
    }
    const i = this.n;
    this.slots[i] = ref;
    this.ts[i] = t;
    this.vs[i] = v;
    this.stale[i] = stale ? 1 : 0;
    this.n = i + 1;
    if (this.n === this.capacity) this.flush();
  }

  /** Applies every buffered sample to the head. */
  flush(): void {
    const n = this.n;
    if (n === 0) return;
    const { ts, vs, stale, order, slots, touched } = this;
    // The count array grows to the largest ref seen (refs are dense in practice).
    let counts = this.counts;
    for (let i = 0; i < n; i++) {
      const ref = slots[i]!;
      if (ref >= counts.length) counts = this.growCounts(ref);
      if (counts[ref]! === 0) touched.push(ref);
      counts[ref]!++;
    }
    let start = 0;
    for (const ref of touched) {
      const c = counts[ref]!;
      counts[ref] = start;
      start += c;
    }
    for (let i = 0; i < n; i++) order[counts[slots[i]!]!++] = i;
    const head = this.head;
    let applied = 0;
    let ref = -1;
    let s: HeadSeries | undefined;
    for (let j = 0; j < n; j++) {
      const i = order[j]!;
      if (slots[i] !== ref) {
        ref = slots[i]!;
        s = this.series(ref);
      }
      if (head.applySample(s!, ts[i]!, vs[i]!, stale[i] === 1)) applied++;
    }
    for (const ref of touched) counts[ref] = 0;
    this.applied += applied;
    this.n = 0;
    if (n === this.capacity && (n < TARGET_CAPACITY || (touched.length * SAMPLES_PER_SERIES > n && n < MAX_CAPACITY))) this.allocate(n * 2);
    touched.length = 0;
  }

  private allocate(capacity: number): void {
    this.capacity = capacity;
    this.ts = new Float64Array(capacity);
    this.vs = new Float64Array(capacity);
    this.stale = new Uint8Array(capacity);
    this.order = new Int32Array(capacity);
    this.slots = new Int32Array(capacity);
  }

  private series(ref: number): HeadSeries {
    const s = this.head.seriesByRef(ref);
    if (s === undefined) throw new StorageError('internal', `WAL replay: series ${ref} left the head while its samples were buffered`);
    return s;
  }

  private growCounts(ref: number): Int32Array {
    const grown = new Int32Array(Math.max(ref + 1, this.counts.length * 2));
    grown.set(this.counts);
    this.counts = grown;
    return grown;
  }
}
