import { type FloatHistogram, formatApiValue, formatGoFloat } from '@pyrometer/model';
import { jsonString, labelsJson, samplePairJson, secondsFloatJson, timestampJson } from '@pyrometer/http-api';
import { matrixColumns, type Value } from '@pyrometer/promql';

/**
 * A PromQL value as the API's `{"resultType":…,"result":…}`, in pieces (one per sample or series),
 * so a large answer is written out as it is encoded instead of built as one string: vectors and
 * matrices as label objects with `value`/`values` pairs (`histogram`/`histograms` for native
 * histogram points), scalars with the `'f'` float format,
 * strings quoted.
 */
export function* queryDataPieces(value: Value, statsJson?: string): Generator<string> {
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
    case 'matrix': {
      // The series of a range query share one step grid: each timestamp is formatted once.
      const pairStarts = new Map<number, string>();
      let sep = '[';
      for (const s of value.series) {
        let values = '';
        // The engine's columns when it made the series (no object per point), else its points.
        const { ts, fs } = matrixColumns(s) ?? { ts: s.floats.map((p) => p.t), fs: s.floats.map((p) => p.f) };
        for (let i = 0; i < ts.length; i++) {
          const t = ts[i]!;
          const f = fs[i]!;
          let start = pairStarts.get(t);
          if (start === undefined) pairStarts.set(t, (start = `[${timestampJson(t)},"`));
          values += (i === 0 ? ',"values":[' : ',') + start + formatApiValue(f) + '"]';
        }
        let histograms = '';
        for (const { t, h } of s.histograms ?? []) histograms += `${histograms === '' ? ',"histograms":[' : ','}[${timestampJson(t)},${histogramJson(h)}]`;
        yield `${sep}{"metric":${labelsJson(s.metric)}${values === '' ? '' : values + ']'}${histograms === '' ? '' : histograms + ']'}}`;
        sep = ',';
      }
      yield sep === '[' ? '[]' : ']';
      break;
    }
    case 'scalar':
      yield `[${secondsFloatJson(value.t)},"${scalarText(value.v)}"]`;
      break;
    case 'string':
      yield `[${secondsFloatJson(value.t)},${jsonString(value.v)}]`;
      break;
  }
  yield statsJson === undefined ? '}' : `,"stats":${statsJson}}`;
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
