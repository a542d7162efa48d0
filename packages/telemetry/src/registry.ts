import type { MetricFamily } from '@pyrometer/exposition';
import { Counter, FunctionMetric, Gauge, Histogram, type Collector } from './instruments.js';
import type { HistogramOptions, MetricOptions } from './metric-options.js';

/**
 * A process's self-metrics: instruments and collectors registered once each, collected together
 * for `/metrics`. One registry per process (or per test), passed to components through their
 * options — never a module-level default. Registering two instruments with the same family name
 * throws. Not thread-safe, which Node does not need.
 */
export class MetricsRegistry {
  private readonly collectors = new Map<string, Collector>();
  private readonly anonymous: Collector[] = [];

  counter(options: MetricOptions): Counter {
    return this.add(options.name, new Counter(options));
  }

  gauge(options: MetricOptions): Gauge {
    return this.add(options.name, new Gauge(options));
  }

  histogram(options: HistogramOptions): Histogram {
    return this.add(options.name, new Histogram(options));
  }

  /** A gauge whose value `read` returns at collection time. */
  gaugeFunc(options: Omit<MetricOptions, 'labelNames'>, read: () => number): void {
    this.add(options.name, new FunctionMetric(options, 'gauge', read));
  }

  /** A counter whose value `read` returns at collection time (it must never decrease). */
  counterFunc(options: Omit<MetricOptions, 'labelNames'>, read: () => number): void {
    this.add(options.name, new FunctionMetric(options, 'counter', read));
  }

  /** A collector yielding any families (e.g. per-group Pushgateway metrics); names are not checked. */
  register(collector: Collector): void {
    this.anonymous.push(collector);
  }

  /** Every family, sorted by name; families of the same name from different collectors are concatenated. */
  collect(): MetricFamily[] {
    const byName = new Map<string, MetricFamily>();
    for (const collector of [...this.collectors.values(), ...this.anonymous]) {
      for (const family of collector.collect()) {
        const existing = byName.get(family.name);
        if (existing === undefined) byName.set(family.name, { ...family, metrics: [...family.metrics] });
        else existing.metrics.push(...family.metrics);
      }
    }
    return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private add<T extends Collector>(name: string, collector: T): T {
    if (this.collectors.has(name)) throw new Error(`metric ${name} is already registered`);
    this.collectors.set(name, collector);
    return collector;
  }
}
