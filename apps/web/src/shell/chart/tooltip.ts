import type uPlot from 'uplot';
import type { AlignedData } from './chart-data.js';

/**
 * A uPlot plugin showing, at the cursor, the time, the focused (nearest) series' name and its
 * value (the series' own value, also when the graph is stacked).
 */
export function tooltipPlugin(names: readonly string[], data: AlignedData, format: (v: number) => string): uPlot.Plugin {
  let tip: HTMLDivElement;
  let focused = -1;
  return {
    hooks: {
      init: (u) => {
        tip = document.createElement('div');
        tip.className = 'chart-tooltip';
        tip.style.display = 'none';
        u.over.appendChild(tip);
        u.over.addEventListener('mouseleave', () => (tip.style.display = 'none'));
      },
      setSeries: (_u, i) => {
        focused = i ?? -1;
      },
      setCursor: (u) => {
        const left = u.cursor.left ?? -1;
        const top = u.cursor.top ?? -1;
        const idx = u.cursor.idx === null || u.cursor.idx === undefined ? undefined : nearestIndexWithData(u, u.cursor.idx);
        if (idx === undefined || left < 0) {
          tip.style.display = 'none';
          return;
        }
        const s = focused > 0 ? focused - 1 : nearestSeries(u, idx, top);
        const value = s >= 0 ? data.series[s]?.values[idx] : null;
        if (s < 0 || value === null || value === undefined) {
          tip.style.display = 'none';
          return;
        }
        tip.replaceChildren(line('chart-tooltip-time', new Date(data.times[idx]! * 1000).toISOString().replace('T', ' ').replace('.000Z', ' UTC')), line('chart-tooltip-name mono', names[s] ?? ''), line('chart-tooltip-value', format(value)));
        tip.style.display = 'block';
        const flip = left > u.over.clientWidth / 2;
        tip.style.left = flip ? '' : `${left + 12}px`;
        tip.style.right = flip ? `${u.over.clientWidth - left + 12}px` : '';
        tip.style.top = `${Math.max(0, top - 10)}px`;
      },
    },
  };
}

function line(className: string, text: string): HTMLDivElement {
  const div = document.createElement('div');
  div.className = className;
  div.textContent = text;
  return div;
}

/** `idx`, or the closest index (within 5% of the points) where a visible series has a value: hovering a gap shows its nearest sample. */
function nearestIndexWithData(u: uPlot, idx: number): number | undefined {
  const reach = Math.max(2, Math.ceil((u.data[0]?.length ?? 0) * 0.05));
  const hasData = (i: number) => u.series.some((s, k) => k > 0 && s.show && u.data[k]?.[i] !== null && u.data[k]?.[i] !== undefined);
  for (let d = 0; d <= reach; d++) {
    if (hasData(idx - d)) return idx - d;
    if (hasData(idx + d)) return idx + d;
  }
  return undefined;
}

/** The visible series whose point at `idx` is closest to the cursor's height. */
function nearestSeries(u: uPlot, idx: number, top: number): number {
  let best = -1;
  let bestDistance = Infinity;
  for (let i = 1; i < u.series.length; i++) {
    if (!u.series[i]!.show) continue;
    const v = u.data[i]![idx];
    if (v === null || v === undefined) continue;
    const distance = Math.abs(u.valToPos(v, 'y') - top);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = i - 1;
    }
  }
  return best;
}
