import { Labels } from '@pyrometer/model';
import { describe, expect, it } from 'vitest';
import { ExpositionError } from './exposition-error.js';
import type { MetricFamily } from './metric-family.js';
import { decodeDelimited, encodeDelimited } from './protobuf.js';

const families: MetricFamily[] = [
  { name: 'c_total', help: 'Counter.', type: 'counter', metrics: [{ labels: Labels.from({ a: 'ü', b: '2' }), value: 1.5, timestampMs: -1234567890123 }] },
  { name: 'g', help: undefined, type: 'gauge', metrics: [{ labels: Labels.EMPTY, value: -Infinity }], unit: 'bytes' },
  { name: 's', help: '', type: 'summary', metrics: [{ labels: Labels.EMPTY, summary: { sampleCount: 2 ** 40, sampleSum: 0.25, quantiles: [{ quantile: 0.5, value: 1 }] } }] },
  { name: 'h', help: 'H', type: 'histogram', metrics: [{ labels: Labels.from({ x: 'y' }), histogram: { sampleCount: 3, sampleSum: 3.5, buckets: [{ upperBound: 1, cumulativeCount: 1 }, { upperBound: Infinity, cumulativeCount: 3 }] }, timestampMs: 1700000000000 }] },
  { name: 'u', help: undefined, type: 'untyped', metrics: [{ labels: Labels.EMPTY, value: 7 }] },
];

describe('delimited protobuf MetricFamily codec', () => {
  it('round-trips families', () => {
    const back = decodeDelimited(encodeDelimited(families));
    expect(back.map((f) => ({ ...f, metrics: f.metrics.map((m) => ({ ...m, labels: m.labels.toString() })) }))).toEqual(
      families.map((f) => ({ ...f, metrics: f.metrics.map((m) => ({ ...m, labels: m.labels.toString() })) })),
    );
  });

  it('encodes a counter exactly as Go does (hand-checked bytes)', () => {
    const bytes = encodeDelimited([{ name: 'a', help: 'h', type: 'counter', metrics: [{ labels: Labels.from({ k: 'v' }), value: 1 }] }]);
    // len=29 | name "a" | help "h" | type 0 | metric(19){label(6){name "k", value "v"}, counter(9){value 1.0}}
    expect(Buffer.from(bytes).toString('hex')).toBe('1d' + '0a0161' + '120168' + '1800' + '2213' + '0a060a016b120176' + '1a0909000000000000f03f');
  });

  it('writes info and stateset as gauges and unknown as untyped', () => {
    const out = decodeDelimited(
      encodeDelimited([
        { name: 'i', help: undefined, type: 'info', metrics: [{ labels: Labels.EMPTY, value: 1 }] },
        { name: 'n', help: undefined, type: 'unknown', metrics: [{ labels: Labels.EMPTY, value: 1 }] },
      ]),
    );
    expect(out.map((f) => f.type)).toEqual(['gauge', 'untyped']);
  });

  it.each([
    { name: 'truncated length', bytes: [0x05, 0x0a] },
    { name: 'truncated varint', bytes: [0x80] },
    { name: 'group wire type', bytes: [0x02, 0x0b, 0x00] },
    { name: 'unknown metric type', bytes: [0x02, 0x18, 0x09] },
    { name: 'field number zero', bytes: [0x02, 0x00, 0x00] },
  ])('rejects $name with a typed error', ({ bytes }) => {
    expect(() => decodeDelimited(Uint8Array.from(bytes))).toThrow(ExpositionError);
  });

  it('rejects a metric without the value its family type needs', () => {
    expect(() => encodeDelimited([{ name: 'h', help: undefined, type: 'histogram', metrics: [{ labels: Labels.EMPTY, value: 1 }] }])).toThrow('expected a histogram in metric h{}');
  });
});
