import type { RangeSeries } from '@pyrometer/http-api';

/** Series on one shared time grid, as uPlot draws them: x in seconds, y with null for gaps. */
export interface AlignedData {
  times: number[];
  series: { labels: Record<string, string>; values: (number | null)[] }[];
}

/**
 * Puts a range query's series on the grid start, start+step, …, end (seconds): a sample lands on
 * the step it was evaluated at; missing steps are null (a gap in the line). Non-finite values are
 * gaps too, as uPlot cannot scale them.
 */
export function alignRangeSeries(result: readonly RangeSeries[], startS: number, endS: number, stepS: number): AlignedData {
  const count = Math.max(0, Math.floor((endS - startS) / stepS + 1e-9) + 1);
  const times = Array.from({ length: count }, (_, i) => startS + i * stepS);
  return {
    times,
    series: result.map((s) => {
      const values: (number | null)[] = new Array<number | null>(count).fill(null);
      for (const [t, v] of s.values ?? []) {
        const i = Math.round((t - startS) / stepS);
        const n = Number(v);
        if (i >= 0 && i < count && Number.isFinite(n)) values[i] = n;
      }
      return { labels: s.metric, values };
    }),
  };
}

/** Running sums for a stacked graph: series i is drawn at the sum of series 0..i (gaps count as 0 below a point). */
export function stack(series: readonly (number | null)[][]): (number | null)[][] {
  const out: (number | null)[][] = [];
  let below: number[] | undefined;
  for (const values of series) {
    const sums = values.map((v, i) => (v === null ? null : v + (below?.[i] ?? 0)));
    below = values.map((v, i) => (v ?? 0) + (below?.[i] ?? 0));
    out.push(sums);
  }
  return out;
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#3366cc', '#dc3912', '#109618', '#990099', '#0099c6', '#dd4477'];

/** The colour of the i-th series. */
export function seriesColor(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

/** `{{label}}` placeholders of a Grafana legend format filled from a label set (unknown labels become empty). */
export function formatLegend(format: string, labels: Readonly<Record<string, string>>): string {
  return format.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
}
