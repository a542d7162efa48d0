import { RESUME_POINT_LENGTH } from '../format/index.js';

/**
 * How far back (ms) before a read's start the point it resumes from may lie before the read
 * records a newer one (decoding from an older point decodes more than needed).
 */
const STALE_AFTER_MS = 60_000;

/** Series kept at most; past it the store starts over (a reader's series are recorded again as they are read). */
const MAX_SERIES = 1 << 18;

/** A slot: the first sample time of the chunk its point belongs to, then the point (RESUME_POINT_LENGTH numbers). */
const SLOT = 1 + RESUME_POINT_LENGTH;
/** Slots per series. */
const SLOTS = 2;
/** Where in a slot the point's time (of the sample before it) is. */
const POINT_T = 1 + 2;

/**
 * Resume points in the chunks of head series, by head ref, kept by a reader that decodes the same
 * series select after select (a query worker evaluating rules every round): a head chunk only
 * grows (and a closed one never changes), so a later read decodes from a point before its range
 * instead of from the chunk's first sample. Two points per series, as rules read a series over
 * different ranges (`x[1m]`, `x[10m]` and the 5-minute lookback of `x`): each read resumes from
 * the latest point before its start and moves that point up when it lags more than
 * {@link STALE_AFTER_MS}. A head never gives one ref to two series (the label cache relies on it
 * too), and a chunk is told apart from the series' next one by its first sample's time. Points
 * live in one array (144 bytes a series, plus its map entry); cleared with the reader's label
 * cache, or at {@link MAX_SERIES}.
 */
export class DecodeResumes {
  /** Each series' slots, back to back; read it after {@link plan} (it grows). */
  points = new Float64Array(SLOTS * SLOT * 1024);
  /** Where each head ref's slots start in `points`. */
  private readonly slotsOf = new Map<number, number>();
  /** Where the decode {@link plan} prepared starts: a point's offset in `points`, or −1 (from the chunk's first sample). */
  resumeAt = -1;
  /** Where the decode {@link plan} prepared records a new point, or −1 (the kept ones stay). */
  saveAt = -1;

  /**
   * Prepares a decode of the chunk of head series `ref` whose first sample is at `chunkMinT`, by a
   * read that needs its samples from `from` (ms) on: sets {@link resumeAt} (the series' latest
   * point of that chunk before `from`) and {@link saveAt} (that point when it lags, else −1;
   * without one, a slot of another chunk, or else the earliest point; −1 when the read starts at
   * the chunk's start). Both may be equal. Allocates only when `points` grows.
   */
  plan(ref: number, chunkMinT: number, from: number): void {
    this.resumeAt = -1;
    this.saveAt = -1;
    // A read from the chunk's start has nothing to resume or record.
    if (from <= chunkMinT) return;
    const first = this.slotsFor(ref);
    const p = this.points;
    let best = -1;
    for (let s = first; s < first + SLOTS * SLOT; s += SLOT) {
      if (holds(p, s, chunkMinT) && p[s + POINT_T]! < from && (best < 0 || p[s + POINT_T]! > p[best + POINT_T]!)) best = s;
    }
    if (best >= 0) {
      this.resumeAt = best + 1;
      if (p[best + POINT_T]! < from - STALE_AFTER_MS) this.saveAt = best + 1;
      return;
    }
    let slot = first;
    for (let s = first; s < first + SLOTS * SLOT; s += SLOT) {
      if (!holds(p, s, chunkMinT)) {
        slot = s;
        break;
      }
      if (p[s + POINT_T]! < p[slot + POINT_T]!) slot = s;
    }
    p[slot] = chunkMinT;
    p[slot + 1] = 0;
    this.saveAt = slot + 1;
  }

  /** Forgets every point. */
  clear(): void {
    this.slotsOf.clear();
    this.points = new Float64Array(SLOTS * SLOT * 1024);
  }

  /** Where `ref`'s slots start, given empty slots when it has none. */
  private slotsFor(ref: number): number {
    let first = this.slotsOf.get(ref);
    if (first !== undefined) return first;
    if (this.slotsOf.size >= MAX_SERIES) this.clear();
    first = this.slotsOf.size * SLOTS * SLOT;
    if (first + SLOTS * SLOT > this.points.length) {
      const bigger = new Float64Array(2 * this.points.length);
      bigger.set(this.points);
      this.points = bigger;
    }
    for (let s = first; s < first + SLOTS * SLOT; s += SLOT) {
      this.points[s] = Number.NaN;
      this.points[s + 1] = 0;
    }
    this.slotsOf.set(ref, first);
    return first;
  }
}

/** Whether the slot at `s` holds a point of the chunk starting at `chunkMinT`. */
function holds(p: Float64Array, s: number, chunkMinT: number): boolean {
  return p[s] === chunkMinT && p[s + 1]! >= 1;
}
