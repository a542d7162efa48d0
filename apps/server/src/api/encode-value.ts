import { formatGoFloat } from '@pyrometer/model';
import { jsonString, labelsJson, samplePairJson, secondsFloatJson } from '@pyrometer/http-api';
import type { Value } from '@pyrometer/promql';

/**
 * A PromQL value as the API's `{"resultType":…,"result":…}`: vectors and matrices as label objects
 * with `value`/`values` pairs, scalars with the `'f'` float format, strings quoted.
 */
export function queryDataJson(value: Value, statsJson?: string): string {
  const stats = statsJson === undefined ? '' : `,"stats":${statsJson}`;
  return `{"resultType":"${value.type}","result":${resultJson(value)}${stats}}`;
}

function resultJson(value: Value): string {
  switch (value.type) {
    case 'vector':
      return '[' + value.samples.map((s) => `{"metric":${labelsJson(s.metric)},"value":${samplePairJson(s.t, s.f)}}`).join(',') + ']';
    case 'matrix':
      return (
        '[' +
        value.series
          .map((s) => {
            const values = s.floats.length === 0 ? '' : `,"values":[${s.floats.map((p) => samplePairJson(p.t, p.f)).join(',')}]`;
            return `{"metric":${labelsJson(s.metric)}${values}}`;
          })
          .join(',') +
        ']'
      );
    case 'scalar':
      return `[${secondsFloatJson(value.t)},"${scalarText(value.v)}"]`;
    case 'string':
      return `[${secondsFloatJson(value.t)},${jsonString(value.v)}]`;
  }
}

/** Scalars always use Go's 'f' format (`Scalar.MarshalJSON`), with NaN/+Inf/-Inf spelled out. */
function scalarText(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return formatGoFloat(v, 'f');
}
