import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { valueText } from '../format.js';
import { stack, seriesColor, type AlignedData } from './chart-data.js';
import { tooltipPlugin } from './tooltip.js';

/** Options of {@link TimeSeriesChart}. */
export interface ChartProps {
  data: AlignedData;
  /** The legend text of each series (same order as `data.series`). */
  names: readonly string[];
  stacked?: boolean;
  height?: number;
  /** Formats axis and tooltip values (e.g. bytes, seconds). */
  format?: (v: number) => string;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** Wide enough for the longest tick label (uPlot's fixed default clips "14.3 MiB"). */
function yAxisWidth(_u: uPlot, values: string[] | null): number {
  return Math.max(40, ...(values ?? []).map((v) => v.length * 7.5 + 16));
}

function buildOptions(props: ChartProps, width: number, hidden: ReadonlySet<number>): uPlot.Options {
  const format = props.format ?? valueText;
  const axis = { stroke: cssVar('--muted'), grid: { stroke: cssVar('--border'), width: 1 }, ticks: { stroke: cssVar('--border'), width: 1 } };
  const n = props.data.series.length;
  return {
    width,
    height: props.height ?? 300,
    legend: { show: false },
    cursor: { focus: { prox: 30 }, drag: { x: false, y: false } },
    focus: { alpha: 0.4 },
    plugins: [tooltipPlugin(props.names, props.data, format)],
    scales: { x: { time: true } },
    axes: [{ ...axis }, { ...axis, size: yAxisWidth, values: (_u, ticks) => ticks.map(format) }],
    series: [
      {},
      ...props.data.series.map((_, i) => ({
        label: props.names[i] ?? '',
        stroke: seriesColor(i),
        width: 1,
        show: !hidden.has(i),
        // Points only where a line would be hard to see: a series with few samples.
        points: { show: props.data.series[i]!.values.filter((v) => v !== null).length < 20, size: 5 },
        spanGaps: false,
        ...(props.stacked ? { fill: `${seriesColor(i)}55` } : {}),
      })),
    ],
    ...(props.stacked && n > 1 ? { bands: props.data.series.slice(1).map((_, i) => ({ series: [i + 2, i + 1] as [number, number] })) } : {}),
  };
}

/**
 * A uPlot time-series graph with a legend of series labels (click to show or hide a series) and
 * a tooltip with the hovered series' value. Follows the colour theme; resizes with its container.
 */
export function TimeSeriesChart(props: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const [hidden, setHidden] = useState<Set<number>>(new Set());
  const [theme, setTheme] = useState(0);

  useEffect(() => {
    const onTheme = () => setTheme((t) => t + 1);
    window.addEventListener('pyrometer-theme', onTheme);
    return () => window.removeEventListener('pyrometer-theme', onTheme);
  }, []);

  useEffect(() => {
    const el = host.current!;
    const started = performance.now();
    let measured = false;
    const columns = props.stacked ? stack(props.data.series.map((s) => s.values)) : props.data.series.map((s) => s.values);
    const options = buildOptions(props, el.clientWidth || 800, hidden);
    // User timing of the first draw (data to pixels), which the UI benchmark reads.
    options.hooks = { draw: [() => void (measured || ((measured = true), performance.measure('pyrometer:chart-draw', { start: started })))] };
    const plot = new uPlot(options, [props.data.times, ...columns] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: props.height ?? 300 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
    // Redrawn from scratch when the data, the stacking, the hidden set or the theme changes.
  }, [props.data, props.stacked, hidden, theme]);

  const toggle = (i: number, only: boolean) =>
    setHidden((h) => {
      if (only) return h.size === props.names.length - 1 && !h.has(i) ? new Set() : new Set(props.names.map((_, j) => j).filter((j) => j !== i));
      const next = new Set(h);
      if (next.has(i)) next.delete(i);
      else next.add(i);
      return next;
    });

  return (
    <div className="chart">
      <div ref={host} className="chart-canvas" data-testid="chart" />
      <ul className="legend">
        {props.names.map((name, i) => (
          <li key={i} className={hidden.has(i) ? 'legend-hidden' : ''} onClick={(e) => toggle(i, e.ctrlKey || e.metaKey)} title="Click to hide or show; Ctrl+click to show only this series">
            <span className="swatch" style={{ background: seriesColor(i) }} />
            <span className="mono">{name}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
