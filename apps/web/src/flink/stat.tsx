import { valueText } from '../shell/format.js';
import { substitute, type DashboardPanel } from './dashboards.js';
import { sampleValue, useInstantVector } from './flink-queries.js';

/** A Grafana stat panel: the first query's current value, large. */
export function Stat({ panel, vars, format = valueText }: { panel: DashboardPanel; vars?: Readonly<Record<string, string>>; format?: (v: number) => string }) {
  const state = useInstantVector(substitute(panel.targets[0]!.expr, vars));
  const value = state.data?.[0];
  return (
    <div className="stat" data-stat={panel.title}>
      <div className="stat-value">{state.error ? '—' : state.data === undefined ? '…' : value === undefined ? 'no data' : format(sampleValue(value))}</div>
      <div className="stat-label">{panel.title}</div>
    </div>
  );
}
