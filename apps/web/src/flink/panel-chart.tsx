import type { QueryData, RangeSeries } from '@pyrometer/http-api';
import { useMemo, useState } from 'react';
import { promData } from '../shell/api.js';
import { alignRangeSeries, formatLegend, type AlignedData } from '../shell/chart/chart-data.js';
import { TimeSeriesChart } from '../shell/chart/time-series-chart.js';
import { ErrorBox, Loading } from '../shell/components.js';
import { useFetch } from '../shell/use-fetch.js';
import { substitute, type DashboardPanel } from './dashboards.js';
import { REFRESH_MS } from './flink-queries.js';

const RANGE_S = 15 * 60;
const STEP_S = 10;

/**
 * A Grafana time-series panel drawn with uPlot: each of its queries over the last 15 minutes,
 * variables filled from `vars`, series named by the panel's legend format; `keep` drops series
 * (e.g. other TaskManagers).
 */
export function PanelChart({ panel, vars = {}, keep, format }: { panel: DashboardPanel; vars?: Readonly<Record<string, string>>; keep?: (labels: Readonly<Record<string, string>>) => boolean; format?: (v: number) => string }) {
  const [tick, setTick] = useState(0);
  const exprs = panel.targets.map((t) => substitute(t.expr, vars));
  const state = useFetch(
    async () => {
      const end = Math.floor(Date.now() / 1000);
      const start = end - RANGE_S;
      const answers = await Promise.all(exprs.map((query) => promData<QueryData>('api/v1/query_range', { query, start, end, step: STEP_S })));
      return { start, end, answers };
    },
    `${exprs.join('|')}|${tick}`,
    REFRESH_MS,
  );
  const chart = useMemo(() => {
    if (state.data === undefined) return undefined;
    const names: string[] = [];
    const result: RangeSeries[] = [];
    state.data.answers.forEach((answer, i) => {
      if (answer.resultType !== 'matrix') return;
      for (const s of answer.result) {
        if (keep !== undefined && !keep(s.metric)) continue;
        result.push(s);
        names.push(formatLegend(panel.targets[i]!.legendFormat, s.metric) || JSON.stringify(s.metric));
      }
    });
    const data: AlignedData = alignRangeSeries(result, state.data.start, state.data.end, STEP_S);
    return { data, names };
  }, [state.data, keep, panel]);
  return (
    <section className="panel flink-panel" data-panel={panel.title}>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 style={{ margin: 0 }}>{panel.title}</h2>
        <button type="button" className="link-button" onClick={() => setTick((t) => t + 1)} title={exprs.join('\n')}>
          refresh
        </button>
      </div>
      {state.error && <ErrorBox error={state.error} />}
      {chart === undefined ? !state.error && <Loading /> : chart.names.length === 0 ? <p className="muted">No data.</p> : <TimeSeriesChart data={chart.data} names={chart.names} height={200} {...(format ? { format } : {})} />}
    </section>
  );
}
