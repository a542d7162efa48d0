import { Labels } from '@pyrometer/model';
import { describe, expect, it } from 'vitest';
import { registerProcessMetrics } from './process-metrics.js';
import { MetricsRegistry } from './registry.js';

describe('MetricsRegistry', () => {
  it('collects counters, gauges and labelled children as metric families sorted by name', () => {
    const registry = new MetricsRegistry();
    const requests = registry.counter({ name: 'http_requests_total', help: 'Requests.', labelNames: ['code'] });
    const series = registry.gauge({ name: 'head_series', help: 'Series.' });
    requests.labels('200').inc();
    requests.labels('200').inc(2);
    requests.labels('500').inc();
    series.set(7);
    series.dec(2);

    const families = registry.collect();
    expect(families.map((f) => f.name)).toEqual(['head_series', 'http_requests_total']);
    expect(families[0]).toMatchObject({ type: 'gauge', help: 'Series.', metrics: [{ value: 5 }] });
    const byCode = Object.fromEntries(families[1]!.metrics.map((m) => [m.labels.get('code'), m.value]));
    expect(byCode).toEqual({ '200': 3, '500': 1 });
  });

  it('rejects a decreasing counter, a wrong label count and a duplicate name, naming the metric', () => {
    const registry = new MetricsRegistry();
    const c = registry.counter({ name: 'c_total', help: 'c', labelNames: ['a'] });
    expect(() => c.labels('x').inc(-1)).toThrow(/c_total cannot decrease/);
    expect(() => c.labels()).toThrow(/c_total: expected 1 label values/);
    expect(() => registry.gauge({ name: 'c_total', help: 'again' })).toThrow(/c_total is already registered/);
  });

  it('accumulates histogram observations into cumulative buckets with +Inf, sum and count', () => {
    const registry = new MetricsRegistry();
    const h = registry.histogram({ name: 'latency_seconds', help: 'Latency.', buckets: [0.1, 1] });
    for (const v of [0.05, 0.5, 0.5, 3]) h.observe(v);
    const [family] = registry.collect();
    expect(family!.metrics[0]!.histogram).toEqual({
      sampleCount: 4,
      sampleSum: 4.05,
      buckets: [
        { upperBound: 0.1, cumulativeCount: 1 },
        { upperBound: 1, cumulativeCount: 3 },
        { upperBound: Infinity, cumulativeCount: 4 },
      ],
    });
    expect(() => registry.histogram({ name: 'bad', help: 'b', buckets: [1, 1] })).toThrow(/strictly increasing/);
  });

  it('reads function metrics and registered collectors at collection time, merging same-named families', () => {
    const registry = new MetricsRegistry();
    let value = 1;
    registry.gaugeFunc({ name: 'g', help: 'g' }, () => value);
    registry.register({ collect: () => [{ name: 'g', help: 'g', type: 'gauge', metrics: [{ labels: Labels.from({ group: 'a' }), value: 9 }] }] });
    value = 2;
    expect(registry.collect()[0]!.metrics.map((m) => m.value)).toEqual([2, 9]);
  });

  it('reports real process figures', () => {
    const registry = new MetricsRegistry();
    registerProcessMetrics(registry);
    const values = Object.fromEntries(registry.collect().map((f) => [f.name, f.metrics[0]!.value!]));
    expect(values['process_resident_memory_bytes']).toBeGreaterThan(1024 * 1024);
    expect(values['process_cpu_seconds_total']).toBeGreaterThan(0);
    expect(values['process_open_fds']).toBeGreaterThan(0);
    expect(values['process_start_time_seconds']).toBeLessThanOrEqual(Date.now() / 1000);
  });
});
