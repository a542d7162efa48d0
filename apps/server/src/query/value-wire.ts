import { Labels } from '@pyrometer/model';
import type { FPoint, Value } from '@pyrometer/promql';

/**
 * A PromQL value as it crosses between threads: label sets as flat `[name, value, …]` string
 * arrays (already sorted), numbers in one Float64Array per element. Scalars and strings as is.
 */
export type WireValue =
  | { type: 'vector'; labels: string[][]; points: Float64Array }
  | { type: 'matrix'; labels: string[][]; points: Float64Array[] }
  | { type: 'scalar'; t: number; v: number }
  | { type: 'string'; t: number; v: string };

/** The wire form of `value` and the buffers to transfer with it. */
export function valueToWire(value: Value): { wire: WireValue; transfer: ArrayBuffer[] } {
  switch (value.type) {
    case 'vector': {
      const points = new Float64Array(2 * value.samples.length);
      value.samples.forEach((s, i) => {
        points[2 * i] = s.t;
        points[2 * i + 1] = s.f;
      });
      return { wire: { type: 'vector', labels: value.samples.map((s) => flatLabels(s.metric)), points }, transfer: [points.buffer] };
    }
    case 'matrix': {
      const points = value.series.map((s) => {
        const out = new Float64Array(2 * s.floats.length);
        s.floats.forEach((p, i) => {
          out[2 * i] = p.t;
          out[2 * i + 1] = p.f;
        });
        return out;
      });
      return { wire: { type: 'matrix', labels: value.series.map((s) => flatLabels(s.metric)), points }, transfer: points.map((p) => p.buffer as ArrayBuffer) };
    }
    default:
      return { wire: { ...value }, transfer: [] };
  }
}

/** The value a {@link WireValue} carries. */
export function valueFromWire(wire: WireValue): Value {
  switch (wire.type) {
    case 'vector':
      return { type: 'vector', samples: wire.labels.map((flat, i) => ({ metric: Labels.fromSortedFlat(flat), t: wire.points[2 * i]!, f: wire.points[2 * i + 1]! })) };
    case 'matrix':
      return { type: 'matrix', series: wire.labels.map((flat, i) => ({ metric: Labels.fromSortedFlat(flat), floats: pointsOf(wire.points[i]!) })) };
    default:
      return wire;
  }
}

function flatLabels(labels: Labels): string[] {
  const flat: string[] = [];
  labels.forEach((name, value) => flat.push(name, value));
  return flat;
}

function pointsOf(a: Float64Array): FPoint[] {
  const out: FPoint[] = [];
  for (let i = 0; i < a.length; i += 2) out.push({ t: a[i]!, f: a[i + 1]! });
  return out;
}
