import { formatApiValue, formatGoFloat } from '@pyrometer/model';
import { jsonString, labelsJson, samplePairJson, secondsFloatJson, timestampJson } from '@pyrometer/http-api';
import { matrixColumns, type Value } from '@pyrometer/promql';

/**
 * A PromQL value as the API's `{"resultType":…,"result":…}`, in pieces (one per sample or series),
 * so a large answer is written out as it is encoded instead of built as one string: vectors and
 * matrices as label objects with `value`/`values` pairs, scalars with the `'f'` float format,
 * strings quoted.
 */
export function* queryDataPieces(value: Value, statsJson?: string): Generator<string> {
  yield `{"resultType":"${value.type}","result":`;
  switch (value.type) {
    case 'vector': {
      let sep = '[';
      for (const s of value.samples) {
        yield `${sep}{"metric":${labelsJson(s.metric)},"value":${samplePairJson(s.t, s.f)}}`;
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
        yield `${sep}{"metric":${labelsJson(s.metric)}${values === '' ? '' : values + ']'}}`;
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

/** Scalars always use Go's 'f' format (`Scalar.MarshalJSON`), with NaN/+Inf/-Inf spelled out. */
function scalarText(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return formatGoFloat(v, 'f');
}
