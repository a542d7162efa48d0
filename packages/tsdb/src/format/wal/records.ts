import { floatFromWords, isStaleNaNWords, Labels } from '@pyrometer/model';
import { DecodeBuffer } from '../encoding/decode-buffer.js';
import { EncodeBuffer } from '../encoding/encode-buffer.js';

/** The first byte of every WAL record, as numbered in Prometheus's tsdb/record package. */
export const RecordType = {
  Series: 1,
  Samples: 2,
  Tombstones: 3,
  Exemplars: 4,
  MmapMarkers: 5,
  Metadata: 6,
  HistogramSamples: 7,
  FloatHistogramSamples: 8,
} as const;

/** The record's type byte, or -1 for an empty record. Types we do not decode can be skipped. */
export function recordType(rec: Uint8Array): number {
  return rec.length === 0 ? -1 : rec[0]!;
}

/** A series definition: the WAL-wide reference and its labels. */
export interface WalSeries {
  ref: number;
  labels: Labels;
}

/** A float sample of a series known by ref; `stale` marks Prometheus's staleness marker. */
export interface WalSample {
  ref: number;
  t: number;
  v: number;
  stale?: boolean;
}

/** A deleted interval [mint, maxt] (ms, inclusive) of a series. */
export interface WalTombstone {
  ref: number;
  mint: number;
  maxt: number;
}

/**
 * Encodes a series record. With `buf` the result is a view into it, valid until `buf` is written
 * again (pass it to the WAL writer first); without, a fresh buffer is used.
 */
export function encodeSeries(series: readonly WalSeries[], buf = new EncodeBuffer()): Uint8Array {
  buf.reset();
  buf.putByte(RecordType.Series);
  for (const s of series) {
    buf.putBE64(s.ref);
    buf.putUvarint(s.labels.size);
    s.labels.forEach((name, value) => {
      buf.putUvarintString(name);
      buf.putUvarintString(value);
    });
  }
  return buf.bytes();
}

/** Decodes a series record; throws a `corruption` StorageError naming the offset in the record. */
export function decodeSeries(rec: Uint8Array): WalSeries[] {
  const d = expectType(rec, RecordType.Series, 'series record');
  const out: WalSeries[] = [];
  while (d.remaining > 0) {
    const ref = d.be64();
    const n = d.uvarint();
    const flat: string[] = new Array<string>(n * 2);
    let sorted = true;
    for (let i = 0; i < n * 2; i += 2) {
      flat[i] = d.uvarintString();
      flat[i + 1] = d.uvarintString();
      if (flat[i + 1] === '' || (i > 0 && flat[i - 2]! >= flat[i]!)) sorted = false;
    }
    let labels: Labels;
    if (sorted) {
      labels = Labels.fromSortedFlat(flat);
    } else {
      const pairs: [string, string][] = [];
      for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
      labels = Labels.from(pairs);
    }
    out.push({ ref, labels });
  }
  return out;
}

/**
 * Encodes a samples record: the first sample's ref and timestamp in full, then signed varint
 * deltas against them and the value's raw 64 bits. A stale sample is written as the staleness
 * marker's bits; any other NaN as Go's math.NaN(). `buf` as for {@link encodeSeries}.
 */
export function encodeSamples(samples: ArrayLike<WalSample>, buf = new EncodeBuffer()): Uint8Array {
  buf.reset();
  buf.putByte(RecordType.Samples);
  if (samples.length === 0) return buf.bytes();
  const first = samples[0]!;
  buf.putBE64(first.ref);
  buf.putBE64(first.t);
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    putSample(buf, s.ref - first.ref, s.t - first.t, s.v, s.stale === true);
  }
  return buf.bytes();
}

/**
 * Samples in columns, as a head commit holds them: sample i is (`series[i].ref`, `ts[i]`, `vs[i]`,
 * `stale[i]`) for i < `n`.
 */
export interface SampleColumns {
  readonly n: number;
  readonly series: readonly { readonly ref: number }[];
  readonly ts: readonly number[];
  readonly vs: readonly number[];
  readonly stale: readonly boolean[];
}

/**
 * Encodes the samples of `c` (only those whose `pick[i] === want`, when `pick` is given) as one
 * samples record, straight from the columns: the same bytes as {@link encodeSamples}, without an
 * object per sample. `buf` as for {@link encodeSeries}.
 */
export function encodeSampleColumns(c: SampleColumns, pick: readonly boolean[] | undefined, want: boolean, buf: EncodeBuffer): Uint8Array {
  buf.reset();
  buf.putByte(RecordType.Samples);
  let i = 0;
  while (i < c.n && pick !== undefined && pick[i] !== want) i++;
  if (i === c.n) return buf.bytes();
  const baseRef = c.series[i]!.ref;
  const baseT = c.ts[i]!;
  // Two varints of at most 10 bytes and a value of 8 per sample.
  buf.reserve(16 + (c.n - i) * 28);
  buf.putBE64(baseRef);
  buf.putBE64(baseT);
  for (; i < c.n; i++) {
    if (pick !== undefined && pick[i] !== want) continue;
    putSample(buf, c.series[i]!.ref - baseRef, c.ts[i]! - baseT, c.vs[i]!, c.stale[i]!);
  }
  return buf.bytes();
}

function putSample(buf: EncodeBuffer, refDelta: number, tDelta: number, v: number, stale: boolean): void {
  buf.putVarint(refDelta);
  buf.putVarint(tDelta);
  buf.putSampleValue(v, stale);
}

/** Receives decoded samples without allocating an object per sample. */
export type WalSampleVisitor = (ref: number, t: number, v: number, stale: boolean) => void;

/** Decodes a samples record, calling `visit` per sample in record order; returns the count. */
export function decodeSamples(rec: Uint8Array, visit: WalSampleVisitor): number {
  const d = expectType(rec, RecordType.Samples, 'samples record');
  if (d.remaining === 0) return 0;
  const baseRef = d.be64();
  const baseT = signed64(d);
  let n = 0;
  while (d.remaining > 0) {
    const ref = baseRef + d.varint();
    const t = baseT + d.varint();
    const hi = d.be32();
    const lo = d.be32();
    visit(ref, t, floatFromWords(hi, lo), isStaleNaNWords(hi, lo));
    n++;
  }
  return n;
}

/**
 * Samples decoded column-wise by {@link decodeSamplesInto}: entry i of each array is one sample,
 * for i < `length`. The arrays are reused (and grown) across records, so a replay decodes without
 * allocating per sample or per record; `stale` holds 1 for a staleness marker.
 */
export class WalSampleColumns {
  length = 0;
  refs = new Float64Array(0);
  ts = new Float64Array(0);
  vs = new Float64Array(0);
  stale = new Uint8Array(0);

  /** Makes room for `n` samples (contents are not kept). */
  reserve(n: number): void {
    if (this.refs.length >= n) return;
    const size = Math.max(n, this.refs.length * 2);
    this.refs = new Float64Array(size);
    this.ts = new Float64Array(size);
    this.vs = new Float64Array(size);
    this.stale = new Uint8Array(size);
  }
}

// The smallest encoded sample: one-byte ref and time deltas plus the 8-byte value.
const MIN_SAMPLE_BYTES = 10;

/** Decodes a samples record into `cols` (replacing what it held); returns the number of samples. */
export function decodeSamplesInto(rec: Uint8Array, cols: WalSampleColumns): number {
  const d = expectType(rec, RecordType.Samples, 'samples record');
  cols.length = 0;
  if (d.remaining === 0) return 0;
  const baseRef = d.be64();
  const baseT = signed64(d);
  cols.reserve(Math.ceil(d.remaining / MIN_SAMPLE_BYTES));
  const { refs, ts, vs, stale } = cols;
  let n = 0;
  while (d.remaining > 0) {
    refs[n] = baseRef + d.varint();
    ts[n] = baseT + d.varint();
    const hi = d.be32();
    const lo = d.be32();
    vs[n] = floatFromWords(hi, lo);
    stale[n] = isStaleNaNWords(hi, lo) ? 1 : 0;
    n++;
  }
  cols.length = n;
  return n;
}

/** Encodes a tombstones record (one entry per interval). `buf` as for {@link encodeSeries}. */
export function encodeTombstones(tombstones: readonly WalTombstone[], buf = new EncodeBuffer()): Uint8Array {
  buf.reset();
  buf.putByte(RecordType.Tombstones);
  for (const t of tombstones) {
    buf.putBE64(t.ref);
    buf.putVarint(t.mint);
    buf.putVarint(t.maxt);
  }
  return buf.bytes();
}

export function decodeTombstones(rec: Uint8Array): WalTombstone[] {
  const d = expectType(rec, RecordType.Tombstones, 'tombstones record');
  const out: WalTombstone[] = [];
  while (d.remaining > 0) out.push({ ref: d.be64(), mint: d.varint(), maxt: d.varint() });
  return out;
}

function expectType(rec: Uint8Array, type: number, what: string): DecodeBuffer {
  const d = new DecodeBuffer(rec, what);
  const got = d.byte();
  if (got !== type) {
    d.seek(0);
    d.fail(`record type ${got}, expected ${type}`);
  }
  return d;
}

/** A big-endian int64 (two's complement), exact within ±2^53. */
function signed64(d: DecodeBuffer): number {
  const hi = d.be32();
  const lo = d.be32();
  return (hi | 0) * 4294967296 + lo;
}
