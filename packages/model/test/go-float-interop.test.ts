// Our Go number formatting against real Go:
// - Debian's Pushgateway re-renders pushed samples with prometheus/common's expfmt (writeFloat →
//   strconv.AppendFloat(f, 'g', -1, 64)), so its /metrics page shows what Go prints for each value;
// - Debian's Prometheus (2.42) answers /api/v1/query with sample values written by the same
//   'f'-or-'e' rule as Prometheus 3's jsonutil.MarshalFloat.
// This file lives in test/ rather than src/ because it starts a process (node:*).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, peer, startProcess, tempDir, type RunningProcess } from '@pyrometer/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatApiValue, formatExpositionValue, formatGoFloat, parseGoFloat } from '../src/index.js';

const pushgateway = peer('prometheus-pushgateway', 'prometheus-pushgateway');
const prometheus = peer('prometheus', 'prometheus');

const values: number[] = [
  0, -0, 1, -1, 0.5, 1e6, 999999.5, 123456, 1234567, 1e-4, 1e-5, 1.5838723477166057e9, 5e-324, Number.MAX_VALUE, -Number.MIN_VALUE, 1e21, 1e22, 0.1, 1 / 3, 2 ** 53, 2 ** 53 + 2, 100, 1e23,
  ...fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true }), { numRuns: 400, seed: 20260101 }),
  ...fc.sample(fc.integer({ min: -1e9, max: 1e9 }), { numRuns: 100, seed: 7 }),
];

describe.skipIf(pushgateway.path === undefined)('exposition floats against Go (pushgateway)', () => {
  let running: RunningProcess | undefined;
  let base = '';

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    running = await startProcess(pushgateway.path!, [`--web.listen-address=127.0.0.1:${port}`], { readyUrl: `${base}/-/ready`, readyTimeoutMs: 30_000 });
  });
  afterAll(async () => {
    await running?.stop();
  });

  it(`renders ${values.length} values exactly as Go does`, async () => {
    // Pushed in JavaScript's shortest form, which Go parses back to the same float64.
    const body = '# TYPE model_interop gauge\n' + values.map((v, i) => `model_interop{i="${i}"} ${Object.is(v, -0) ? '-0' : formatGoFloat(v, 'e')}\n`).join('');
    const put = await fetch(`${base}/metrics/job/model_interop`, { method: 'PUT', body });
    expect(put.status, await put.text()).toBe(200);

    const text = await (await fetch(`${base}/metrics`)).text();
    const seen = new Map<number, string>();
    for (const line of text.split('\n')) {
      const m = /^model_interop\{i="(\d+)"[^}]*\} (\S+)$/.exec(line);
      if (m) seen.set(Number(m[1]), m[2]!);
    }
    expect(seen.size).toBe(values.length);
    const mismatches = values.flatMap((v, i) => (seen.get(i) === formatExpositionValue(v) ? [] : [`${v}: go=${seen.get(i)} ours=${formatExpositionValue(v)}`]));
    expect(mismatches).toEqual([]);
    // And what Go wrote reads back to the pushed value.
    for (const [i, s] of seen) expect(parseGoFloat(s)).toBe(values[i]! === 0 ? 0 : values[i]);
  });
});

describe.skipIf(prometheus.path === undefined)('API sample values against Go (prometheus)', () => {
  let running: RunningProcess | undefined;
  let base = '';

  beforeAll(async () => {
    const port = await freePort();
    const dir = tempDir('pyrometer-model-');
    writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
    base = `http://127.0.0.1:${port}`;
    const args = [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`];
    running = await startProcess(prometheus.path!, args, { readyUrl: `${base}/-/ready`, readyTimeoutMs: 60_000 });
  }, 90_000);
  afterAll(async () => {
    await running?.stop();
  });

  const apiValues = [...values.slice(0, 200), 1e-6, 9.99e-7, -1e-7, 1e20, 1e21, -1e21, NaN, Infinity, -Infinity];

  it(`writes ${apiValues.length} values exactly as Go does`, async () => {
    // One query returns every value as its own series, labelled with its index.
    const literal = (v: number) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Inf' : v === -Infinity ? '-Inf' : Object.is(v, -0) ? '-0' : formatGoFloat(v, 'e'));
    const query = apiValues.map((v, i) => `label_replace(vector(${literal(v)}), "i", "${i}", "", "")`).join(' or ');
    const res = await fetch(`${base}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query, time: '1000' }) });
    const json = (await res.json()) as { status: string; data: { result: { metric: { i: string }; value: [number, string] }[] } };
    expect(json.status).toBe('success');
    const seen = new Map(json.data.result.map((r) => [Number(r.metric.i), r.value[1]]));
    expect(seen.size).toBe(apiValues.length);
    const mismatches = apiValues.flatMap((v, i) => (seen.get(i) === formatApiValue(v) ? [] : [`${v}: go=${seen.get(i)} ours=${formatApiValue(v)}`]));
    expect(mismatches).toEqual([]);
  });
});
