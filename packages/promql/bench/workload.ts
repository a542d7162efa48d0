import { Labels } from '@pyrometer/model';

/** One generated series: labels and a value function of the sample index. */
export interface GeneratedSeries {
  readonly labels: Labels;
  readonly value: (i: number) => number;
}

/**
 * bench_test.go's shapes: `a_X`, `b_X` (gauges/counters with label `l`) and classic histograms
 * `h_X_bucket{l, le}` for X series.
 */
export function benchShapes(sizes: readonly number[]): GeneratedSeries[] {
  const out: GeneratedSeries[] = [];
  for (const n of sizes) {
    for (let s = 0; s < n; s++) {
      const l = String(s);
      out.push({ labels: Labels.from({ __name__: `a_${n}`, l }), value: (i) => i * (s + 1) });
      out.push({ labels: Labels.from({ __name__: `b_${n}`, l }), value: (i) => i * (s + 2) });
      for (const le of ['0.1', '1', '10', '100', '+Inf']) {
        const f = le === '+Inf' ? 5 : Math.log10(Number(le)) + 2;
        out.push({ labels: Labels.from({ __name__: `h_${n}_bucket`, l, le }), value: (i) => Math.round(i * f) });
      }
    }
  }
  return out;
}

