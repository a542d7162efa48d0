import { type FloatHistogram, formatApiValue, formatGoFloat } from '@pyrometer/model';
import { type JsonBytes, JsonBytesPool, jsonString, labelsJson, samplePairJson, secondsFloatJson, timestampJson } from '@pyrometer/http-api';
import { matrixColumns, type Series, type Value } from '@pyrometer/promql';

/**
 * A PromQL value as the API's `{"resultType":…,"result":…}`, in pieces (one per sample, or UTF-8
 * bytes of ~64 KiB of series, each valid only until the next piece is asked for), so a large
 * answer is written out as it is encoded instead of built as one string: vectors and
 * matrices as label objects with `value`/`values` pairs (`histogram`/`histograms` for native
 * histogram points), scalars with the `'f'` float format,
 * strings quoted.
 */
export function* queryDataPieces(value: Value, statsJson?: string): Generator<string | Uint8Array> {
  yield `{"resultType":"${value.type}","result":`;
  switch (value.type) {
    case 'vector': {
      let sep = '[';
      for (const s of value.samples) {
        const point = s.h === undefined ? `"value":${samplePairJson(s.t, s.f)}` : `"histogram":[${timestampJson(s.t)},${histogramJson(s.h)}]`;
        yield `${sep}{"metric":${labelsJson(s.metric)},${point}}`;
        sep = ',';
      }
      yield sep === '[' ? '[]' : ']';
      break;
    }
    case 'matrix':
      yield* matrixPieces(value.series);
      break;
    case 'scalar':
      yield `[${secondsFloatJson(value.t)},"${scalarText(value.v)}"]`;
      break;
    case 'string':
      yield `[${secondsFloatJson(value.t)},${jsonString(value.v)}]`;
      break;
  }
  yield statsJson === undefined ? '}' : `,"stats":${statsJson}}`;
}

/** Bytes of matrix series gathered before they are handed on as one piece. */
const MATRIX_PIECE_BYTES = 64 * 1024;

/** The writer matrix pieces are encoded into, kept between answers. */
const matrixWriters = new JsonBytesPool(MATRIX_PIECE_BYTES * 2);

/**
 * The series of a matrix as UTF-8 bytes, `[…]` included, in pieces of about
 * {@link MATRIX_PIECE_BYTES}: a range query's answer is mostly sample pairs, written straight
 * into bytes, each step's `[<timestamp>,"` encoded once (a range query's series share one grid).
 * Each piece is a view of a reused buffer, valid until the next piece is asked for: consumers copy
 * it out (as the response stream does) before they go on.
 */
function* matrixPieces(series: readonly Series[]): Generator<Uint8Array> {
  const out = matrixWriters.borrow();
  try {
    yield* matrixBytes(series, out);
  } finally {
    matrixWriters.release(out);
  }
}

/**
 * The opening of the pair at step i (`,[<ts>,"`, the comma before it included), for the time
 * stepTimes[i], kept between answers: a dashboard asks for the same grid again and again. Every
 * use checks the time first, so answers on other grids (interleaved ones included) stay right.
 */
const stepTimes: number[] = [];
const stepOpenings: Uint8Array[] = [];
/** Steps whose openings are kept after an answer (a longer grid's are dropped, ~100 bytes each). */
const KEPT_OPENINGS = 2048;

function* matrixBytes(series: readonly Series[], out: JsonBytes): Generator<Uint8Array> {
  // The last `,"values":[…]` written since the last piece: its columns and where its bytes lie in
  // `out` (start -1: none). A series whose points write the same text copies those bytes.
  let lastTs: ArrayLike<number> = [];
  let lastFs: ArrayLike<number> = [];
  let lastStart = -1;
  let lastEnd = -1;
  out.text('[');
  for (let k = 0; k < series.length; k++) {
    const s = series[k]!;
    out.text(`${k === 0 ? '' : ','}{"metric":${labelsJson(s.metric)}`);
    // The engine's columns when it made the series (no object per point), else its points.
    const { ts, fs } = matrixColumns(s) ?? { ts: s.floats.map((p) => p.t), fs: s.floats.map((p) => p.f) };
    if (ts.length > 0 && lastStart >= 0 && sameFloatText(ts, fs, lastTs, lastFs)) out.repeat(lastStart, lastEnd);
    else if (ts.length > 0) {
      lastStart = out.length;
      out.text(',"values":[');
      for (let i = 0; i < ts.length; i++) {
        const t = ts[i]!;
        if (stepTimes[i] !== t) {
          stepTimes[i] = t;
          stepOpenings[i] = asciiBytes(`,[${timestampJson(t)},"`);
        }
        out.samplePair(i === 0 ? stepOpenings[0]!.subarray(1) : stepOpenings[i]!, fs[i]!);
      }
      out.text(']');
      lastEnd = out.length;
      lastTs = ts;
      lastFs = fs;
    }
    const histograms = s.histograms ?? [];
    for (let i = 0; i < histograms.length; i++) out.text(`${i === 0 ? ',"histograms":[' : ','}[${timestampJson(histograms[i]!.t)},${histogramJson(histograms[i]!.h)}]`);
    out.text(histograms.length === 0 ? '}' : ']}');
    if (out.length >= MATRIX_PIECE_BYTES) {
      yield out.view();
      lastStart = -1;
    }
  }
  out.text(']');
  if (stepTimes.length > KEPT_OPENINGS) stepTimes.length = stepOpenings.length = 0;
  yield out.view();
}

/**
 * Whether two series' float points write the same pairs: the same times, and values that are equal
 * or both NaN (every NaN is written `NaN`), with 0 and -0 told apart (`0`, `-0`).
 */
function sameFloatText(ts: ArrayLike<number>, fs: ArrayLike<number>, otherTs: ArrayLike<number>, otherFs: ArrayLike<number>): boolean {
  const n = ts.length;
  if (otherTs.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const f = fs[i]!;
    const g = otherFs[i]!;
    if (f === g ? f === 0 && 1 / f !== 1 / g : f === f || g === g) return false;
  }
  if (ts === otherTs) return true;
  for (let i = 0; i < n; i++) if (ts[i] !== otherTs[i]) return false;
  return true;
}

/** The bytes of ASCII text `s` (a call into `TextEncoder` costs more for a short text: ~0.1 ms for a grid's 241 pair openings). */
function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * A native histogram as the API writes it (upstream's jsonutil.MarshalHistogram): count and sum as
 * float strings, then every populated bucket in ascending order as `[boundaryRule, lower, upper,
 * count]` (rule 0 = (l,u], 1 = [l,u), 2 = (l,u), 3 = [l,u]); no `buckets` when none is populated.
 */
export function histogramJson(h: FloatHistogram): string {
  let buckets = '';
  for (const b of h.allBuckets()) {
    if (b.count === 0) continue;
    const rule = b.lowerInclusive ? (b.upperInclusive ? 3 : 1) : b.upperInclusive ? 0 : 2;
    buckets += `${buckets === '' ? ',"buckets":[' : ','}[${rule},"${formatApiValue(b.lower)}","${formatApiValue(b.upper)}","${formatApiValue(b.count)}"]`;
  }
  return `{"count":"${formatApiValue(h.count)}","sum":"${formatApiValue(h.sum)}"${buckets === '' ? '' : buckets + ']'}}`;
}

/** Scalars always use Go's 'f' format (`Scalar.MarshalJSON`), with NaN/+Inf/-Inf spelled out. */
function scalarText(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return formatGoFloat(v, 'f');
}
