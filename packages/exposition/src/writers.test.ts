import { Labels } from '@pyrometer/model';
import { describe, expect, it } from 'vitest';
import { ExpositionError } from './exposition-error.js';
import type { MetricFamily } from './metric-family.js';
import { writeOpenMetrics } from './openmetrics-writer.js';
import { writeText } from './text-writer.js';

const families: MetricFamily[] = [
  { name: 'requests_total', help: 'Requests "served".\nBack\\slash', type: 'counter', metrics: [{ labels: Labels.from({ code: '200', path: 'a"b\\c\nd' }), value: 1027 }] },
  { name: 'temp', help: undefined, type: 'gauge', metrics: [{ labels: Labels.EMPTY, value: -0, timestampMs: 1700000000123 }] },
  { name: 'lat', help: 'Latency.', type: 'summary', metrics: [{ labels: Labels.from({ job: 'x' }), summary: { sampleCount: 60, sampleSum: 1.5e-7, quantiles: [{ quantile: 0.5, value: 1e6 }, { quantile: 1, value: NaN }] } }] },
  { name: 'h', help: '', type: 'histogram', metrics: [{ labels: Labels.EMPTY, histogram: { sampleCount: 3, sampleSum: 3.5, buckets: [{ upperBound: 0.1, cumulativeCount: 1 }, { upperBound: 1, cumulativeCount: 2 }] } }] },
  { name: 'u', help: undefined, type: 'untyped', metrics: [{ labels: Labels.from({ a: 'b' }), value: 1 }] },
  { name: 'my.metric', help: undefined, type: 'gauge', metrics: [{ labels: Labels.from({ 'label.x': 'v' }), value: 2 }] },
];

describe('writeText (expfmt MetricFamilyToText)', () => {
  it('writes families byte for byte as Go does', () => {
    expect(writeText(families)).toBe(
      [
        '# HELP requests_total Requests "served".\\nBack\\\\slash',
        '# TYPE requests_total counter',
        'requests_total{code="200",path="a\\"b\\\\c\\nd"} 1027',
        '# TYPE temp gauge',
        'temp 0 1700000000123',
        '# HELP lat Latency.',
        '# TYPE lat summary',
        'lat{job="x",quantile="0.5"} 1e+06',
        'lat{job="x",quantile="1"} NaN',
        'lat_sum{job="x"} 1.5e-07',
        'lat_count{job="x"} 60',
        '# HELP h ',
        '# TYPE h histogram',
        'h_bucket{le="0.1"} 1',
        'h_bucket{le="1"} 2',
        'h_bucket{le="+Inf"} 3',
        'h_sum 3.5',
        'h_count 3',
        '# TYPE u untyped',
        'u{a="b"} 1',
        '# TYPE "my.metric" gauge',
        '{"my.metric","label.x"="v"} 2',
        '',
      ].join('\n'),
    );
  });

  it('rejects a metric without the value its type needs', () => {
    const bad: MetricFamily = { name: 's', help: undefined, type: 'summary', metrics: [{ labels: Labels.EMPTY, value: 1 }] };
    expect(() => writeText([bad])).toThrow(ExpositionError);
    expect(() => writeText([bad])).toThrow('expected summary in metric s{}');
  });
});

describe('writeOpenMetrics (expfmt MetricFamilyToOpenMetrics + FinalizeOpenMetrics)', () => {
  it('writes families byte for byte as Go does', () => {
    expect(writeOpenMetrics(families)).toBe(
      [
        '# HELP requests Requests \\"served\\".\\nBack\\\\slash',
        '# TYPE requests counter',
        'requests_total{code="200",path="a\\"b\\\\c\\nd"} 1027.0',
        '# TYPE temp gauge',
        'temp 0.0 1.700000000123e+09',
        '# HELP lat Latency.',
        '# TYPE lat summary',
        'lat{job="x",quantile="0.5"} 1e+06',
        'lat{job="x",quantile="1.0"} NaN',
        'lat_sum{job="x"} 1.5e-07',
        'lat_count{job="x"} 60',
        '# HELP h ',
        '# TYPE h histogram',
        'h_bucket{le="0.1"} 1',
        'h_bucket{le="1.0"} 2',
        'h_bucket{le="+Inf"} 3',
        'h_sum 3.5',
        'h_count 3',
        '# TYPE u unknown',
        'u{a="b"} 1.0',
        '# TYPE "my.metric" gauge',
        '{"my.metric","label.x"="v"} 2.0',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  it('announces a counter without _total as unknown and writes UNIT after TYPE', () => {
    const out = writeOpenMetrics([
      { name: 'c', help: undefined, type: 'counter', metrics: [{ labels: Labels.EMPTY, value: 1 }] },
      { name: 'd_seconds', help: undefined, type: 'gauge', unit: 'seconds', metrics: [{ labels: Labels.EMPTY, value: 0.5 }] },
    ]);
    expect(out).toBe('# TYPE c unknown\nc 1.0\n# TYPE d_seconds gauge\n# UNIT d_seconds seconds\nd_seconds 0.5\n# EOF\n');
  });
});
