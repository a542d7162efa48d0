import type { Labels } from '@pyrometer/model';

/**
 * The ingestion thread's record of which head series' labels one query worker holds (by head
 * ref, one bit each): a select sends a series' label strings only the first time that worker sees
 * the series, then just its ref. Marked when the answer is posted (see {@link QueryPool}), so a
 * worker always receives a series' labels before an answer that leaves them out.
 */
export class SentLabels {
  private bits = new Uint8Array(0);
  private marked = 0;

  /** Whether the worker holds the labels of head series `ref`. */
  has(ref: number): boolean {
    return (this.bits[ref >>> 3]! & (1 << (ref & 7))) !== 0;
  }

  /** Records that the labels of `refs` were posted to the worker. */
  add(refs: readonly number[]): void {
    for (const ref of refs) {
      const byte = ref >>> 3;
      if (byte >= this.bits.length) this.grow(byte);
      const bit = 1 << (ref & 7);
      if ((this.bits[byte]! & bit) === 0) this.marked++;
      this.bits[byte]! |= bit;
    }
  }

  /** How many series' labels the worker holds. */
  get size(): number {
    return this.marked;
  }

  /** Forgets everything (the worker is told to drop its cache in the same step). */
  clear(): void {
    this.bits = new Uint8Array(0);
    this.marked = 0;
  }

  private grow(byte: number): void {
    const bigger = new Uint8Array(Math.max(byte + 1, 2 * this.bits.length, 1024));
    bigger.set(this.bits);
    this.bits = bigger;
  }
}

/** Refs below this are kept in an array (8 bytes a slot, so at most 8 MiB), the rest in a Map. */
const DENSE_REFS = 1 << 20;

/**
 * A query worker's label sets of head series, by head ref, as received from the ingestion thread,
 * with one copy of each repeated string (names, common values) across them. Every query then
 * reuses the same `Labels` of a series instead of rebuilding it.
 */
export class LabelCache {
  /** By ref below {@link DENSE_REFS} (a head's refs are dense integers from 1): faster than a Map at 20k lookups a select. */
  private dense: (Labels | undefined)[] = [];
  private readonly sparse = new Map<number, Labels>();
  private readonly strings = new Map<string, string>();

  /** The labels of head series `ref`; throws when they were never received (a protocol error). */
  get(ref: number): Labels {
    const labels = ref < DENSE_REFS ? this.dense[ref] : this.sparse.get(ref);
    if (labels === undefined) throw new Error(`packed series refer to head series ${ref}, whose labels were never sent`);
    return labels;
  }

  /** Keeps `labels` for head series `ref` (its strings swapped for the cache's copies) and returns it. */
  set(ref: number, labels: Labels): Labels {
    labels.shareStrings(this.canonical);
    if (ref >= DENSE_REFS) this.sparse.set(ref, labels);
    else {
      // Filled up to `ref` first, so the array stays packed instead of turning into a dictionary.
      while (this.dense.length < ref) this.dense.push(undefined);
      this.dense[ref] = labels;
    }
    return labels;
  }

  /** Drops everything (the ingestion thread forgot what it sent). */
  clear(): void {
    this.dense = [];
    this.sparse.clear();
    this.strings.clear();
  }

  private readonly canonical = (s: string): string => {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    this.strings.set(s, s);
    return s;
  };
}
