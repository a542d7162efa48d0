import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DEBIAN_PYTHON, peer } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { parseFamilies } from './families.js';
import type { MetricFamily } from './metric-family.js';

// Interop with the Python client library (Debian's python3-prometheus-client): its text 0.0.4 and
// OpenMetrics output for the same registry parse, and agree on every family both formats carry.
// The Python client cannot write protobuf, so the protobuf interop lives in pushgateway-golden.test.ts.

const python = peer('python3', 'python3-prometheus-client');

function byName(families: MetricFamily[]): Map<string, MetricFamily> {
  return new Map(families.map((f) => [f.name, { ...f, metrics: f.metrics.map((m) => ({ ...m, labels: m.labels.toString() as never })) }]));
}

describe.skipIf(python.path === undefined)('prometheus_client (Python) output', () => {
  const run = spawnSync(DEBIAN_PYTHON, [join(import.meta.dirname, '..', 'testdata', 'python-client-exposition.py')], { encoding: 'utf8' });
  const out = run.status === 0 ? (JSON.parse(run.stdout) as { text: string; om: string }) : { text: '', om: '' };

  it('ran the Python client', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('parses its text and OpenMetrics output to the same families', () => {
    const text = byName(parseFamilies(out.text, 'text/plain; version=0.0.4; charset=utf-8'));
    const om = byName(parseFamilies(out.om, 'application/openmetrics-text; version=1.0.0; charset=utf-8'));
    expect(om.get('requests_total')).toEqual({ name: 'requests_total', help: 'Requests "served".\nBack\\slash', type: 'counter', metrics: [{ labels: '{code="200", path="a\\"b\\\\c\\nd"}', value: 1027 }] });
    expect(om.get('temp_celsius')).toMatchObject({ type: 'gauge', unit: 'celsius', metrics: [{ value: -3.5e-7 }] });
    expect(om.get('lat_seconds')?.metrics[0]?.summary).toEqual({ sampleCount: 2, sampleSum: 1.75, quantiles: [] });
    expect(om.get('size_bytes')?.metrics[0]?.histogram).toEqual({
      sampleCount: 2,
      sampleSum: 3.000002e6,
      buckets: [
        { upperBound: 1, cumulativeCount: 0 },
        { upperBound: 2.5, cumulativeCount: 1 },
        { upperBound: 1e6, cumulativeCount: 1 },
        { upperBound: Infinity, cumulativeCount: 2 },
      ],
    });
    expect(om.get('build')).toMatchObject({ type: 'info', metrics: [{ labels: '{version="1.2.3"}', value: 1 }] });
    expect(om.get('state')).toMatchObject({ type: 'stateset', metrics: [{ value: 0 }, { value: 1 }] });
    for (const name of ['requests_total', 'temp_celsius', 'lat_seconds', 'size_bytes']) {
      const { unit: _unit, ...fromOm } = om.get(name)!;
      expect(text.get(name), name).toEqual(fromOm);
    }
  });
});
