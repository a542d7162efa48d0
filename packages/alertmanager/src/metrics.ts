import { Labels } from '@pyrometer/model';
import type { MetricsRegistry } from '@pyrometer/telemetry';

/** A gauge family with one series per label value, read at collection time (upstream's `GaugeFunc`s with const labels). */
export function registerLabelledGauges(registry: MetricsRegistry, name: string, help: string, label: string, values: readonly string[], read: (value: string) => number): void {
  registry.register({
    collect: () => [{ name, help, type: 'gauge', metrics: values.map((v) => ({ labels: Labels.from({ [label]: v }), value: read(v) })) }],
  });
}

/** A client_golang summary without quantiles (its default): `_sum` and `_count`. */
export class Summary {
  private sum = 0;
  private count = 0;

  constructor(registry: MetricsRegistry, name: string, help: string) {
    registry.register({ collect: () => [{ name, help, type: 'summary', metrics: [{ labels: Labels.EMPTY, summary: { sampleCount: this.count, sampleSum: this.sum, quantiles: [] } }] }] });
  }

  observe(v: number): void {
    this.sum += v;
    this.count++;
  }
}
