import { STALE_NAN_HI, STALE_NAN_LO } from '@pyrometer/model';
import { ValueType, type SampleIterator } from './iterator.js';
import type { LatestSample } from './querier.js';

/** Whether the platform stores float64 little-endian (the word order a float's bits take in a Uint32Array view). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Growable columns of float samples: timestamps (ms) and values, as parallel Float64Arrays filled
 * from index 0 up to `length`. `words` views `vs` as 32-bit words, so a decoder that has a value's
 * IEEE-754 bits as two words writes them without converting (see {@link FloatColumns.HI}). Owned by one
 * reader at a time; `clear` starts over without freeing, `reserve` grows (invalidating earlier
 * views of the arrays).
 */
export class FloatColumns {
  ts: Float64Array<ArrayBuffer>;
  vs: Float64Array<ArrayBuffer>;
  words: Uint32Array<ArrayBuffer>;
  length = 0;

  constructor(capacity = 1024) {
    this.ts = new Float64Array(capacity);
    this.vs = new Float64Array(capacity);
    this.words = new Uint32Array(this.vs.buffer);
  }

  clear(): void {
    this.length = 0;
  }

  /** Makes room for `n` more samples. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.ts.length) return;
    const capacity = Math.max(need, 2 * this.ts.length);
    const ts = new Float64Array(capacity);
    const vs = new Float64Array(capacity);
    ts.set(this.ts.subarray(0, this.length));
    vs.set(this.vs.subarray(0, this.length));
    this.ts = ts;
    this.vs = vs;
    this.words = new Uint32Array(vs.buffer);
  }

  /** Where in `words` the high 32 bits of value `i` are: `2 * i + HI`; the low ones at `2 * i + LO`. */
  static readonly HI = LITTLE_ENDIAN ? 1 : 0;
  static readonly LO = LITTLE_ENDIAN ? 0 : 1;
}

/**
 * What `Series.readFloats` does, by walking an iterator: appends its float samples with
 * mint ≤ t ≤ maxt, staleness markers left out unless `keepMarkers` (then written with the
 * marker's bits, as `Series.readFloatsAndMarkers` does), to `out`; returns the iterator's error, if any.
 */
export function readFloatsFrom(it: SampleIterator, mint: number, maxt: number, out: FloatColumns, keepMarkers = false): Error | undefined {
  for (let vt = it.seek(mint); vt !== ValueType.None; vt = it.next()) {
    const t = it.atT();
    if (t > maxt) break;
    if (vt !== ValueType.Float) continue;
    const stale = it.atStale();
    if (stale && !keepMarkers) continue;
    out.reserve(1);
    const n = out.length++;
    out.ts[n] = t;
    if (stale) {
      out.words[2 * n + FloatColumns.HI] = STALE_NAN_HI;
      out.words[2 * n + FloatColumns.LO] = STALE_NAN_LO;
    } else out.vs[n] = it.atF();
  }
  return it.err?.();
}

/**
 * What `Series.readLatest` does, by walking an iterator: writes its latest sample with
 * mint ≤ t ≤ maxt (a staleness marker included) to `out` (`out.t` −Infinity: none); returns the
 * iterator's error, if any.
 */
export function readLatestFrom(it: SampleIterator, mint: number, maxt: number, out: LatestSample): Error | undefined {
  out.t = -Infinity;
  for (let vt = it.seek(mint); vt !== ValueType.None; vt = it.next()) {
    const t = it.atT();
    if (t > maxt) break;
    out.t = t;
    out.stale = it.atStale();
    out.f = vt === ValueType.Float ? it.atF() : 0;
    out.h = vt === ValueType.Float || out.stale ? undefined : it.atFloatHistogram();
  }
  return it.err?.();
}
