import type { QueryData } from '@pyrometer/http-api';
import { formatDuration, parseDuration } from '@pyrometer/model';
import { useEffect, useMemo, useState } from 'react';
import { promApi } from '../../shell/api.js';
import { alignRangeSeries } from '../../shell/chart/chart-data.js';
import { TimeSeriesChart } from '../../shell/chart/time-series-chart.js';
import { ErrorBox, Loading, Notice } from '../../shell/components.js';
import { seriesText } from '../../shell/format.js';
import { useFetch } from '../../shell/use-fetch.js';
import { TimeInput } from './time-input.js';
import { autoStepMs, type PanelState } from './url-state.js';

const RANGE_STEPS_MS = [60_000, 300_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000, 172_800_000, 604_800_000, 1_209_600_000, 2_419_200_000];

/** The graph tab: a range query over the chosen range, end time and resolution, drawn with uPlot. */
export function GraphView({ panel, onChange, runId }: { panel: PanelState; onChange: (p: Partial<PanelState>) => void; runId: number }) {
  // Read once per run: each Execute queries again (before, one with a fixed end time or in the same
  // second as the last run re-used the old answer, e.g. a fresh server's "Empty query result").
  const now = useMemo(() => Date.now(), [runId, panel.expr, panel.rangeMs, panel.stepMs]);
  const endMs = panel.endMs ?? now;
  const stepMs = panel.stepMs ?? autoStepMs(panel.rangeMs);
  const startS = Math.floor((endMs - panel.rangeMs) / 1000);
  const endS = Math.floor(endMs / 1000);
  const state = useFetch(() => promApi<QueryData>('api/v1/query_range', { query: panel.expr, start: startS, end: endS, step: stepMs / 1000 }), `${panel.expr}|${startS}|${endS}|${stepMs}|${runId}`);
  const data = useMemo(() => (state.data?.data.resultType === 'matrix' ? alignRangeSeries(state.data.data.result, startS, endS, stepMs / 1000) : undefined), [state.data, startS, endS, stepMs]);
  const names = useMemo(() => data?.series.map((s) => seriesText(s.labels)) ?? [], [data]);
  return (
    <div>
      <div className="row graph-controls">
        <RangeInput rangeMs={panel.rangeMs} onChange={(rangeMs) => onChange({ rangeMs })} />
        <span className="muted">End</span>
        <TimeInput valueMs={panel.endMs} onChange={(endMs) => onChange({ endMs })} />
        <span className="muted">Resolution</span>
        <StepInput stepMs={panel.stepMs} autoMs={autoStepMs(panel.rangeMs)} onChange={(stepMs) => onChange({ stepMs })} />
        <span className="toggle-group">
          {(['lines', 'stacked'] as const).map((m) => (
            <button key={m} type="button" className={`toggle${panel.displayMode === m ? ' on' : ''}`} aria-pressed={panel.displayMode === m} onClick={() => onChange({ displayMode: m })}>
              {m === 'lines' ? 'Unstacked' : 'Stacked'}
            </button>
          ))}
        </span>
      </div>
      {state.error && <ErrorBox error={state.error} />}
      {state.data?.warnings.map((w) => <Notice key={w} kind="warning">{w}</Notice>)}
      {state.loading && state.data === undefined && <Loading />}
      {data && (data.series.length === 0 ? <p className="muted">Empty query result.</p> : <TimeSeriesChart data={data} names={names} stacked={panel.displayMode === 'stacked'} />)}
    </div>
  );
}

function RangeInput({ rangeMs, onChange }: { rangeMs: number; onChange: (ms: number) => void }) {
  const [text, setText] = useState(formatDuration(rangeMs));
  useEffect(() => setText(formatDuration(rangeMs)), [rangeMs]);
  const apply = () => {
    try {
      const ms = parseDuration(text);
      if (ms > 0) return onChange(ms);
    } catch {
      // fall through: restore the last good range
    }
    setText(formatDuration(rangeMs));
  };
  const shift = (dir: 1 | -1) => onChange(dir > 0 ? (RANGE_STEPS_MS.find((r) => r > rangeMs) ?? rangeMs) : ([...RANGE_STEPS_MS].reverse().find((r) => r < rangeMs) ?? rangeMs));
  return (
    <span className="row">
      <button type="button" className="btn" onClick={() => shift(-1)} aria-label="Shorter range">
        −
      </button>
      <input className="input mono" style={{ width: 70 }} value={text} aria-label="Range" onChange={(e) => setText(e.target.value)} onBlur={apply} onKeyDown={(e) => e.key === 'Enter' && apply()} />
      <button type="button" className="btn" onClick={() => shift(1)} aria-label="Longer range">
        +
      </button>
    </span>
  );
}

function StepInput({ stepMs, autoMs, onChange }: { stepMs: number | undefined; autoMs: number; onChange: (ms: number | undefined) => void }) {
  const [text, setText] = useState(stepMs === undefined ? '' : formatDuration(stepMs));
  useEffect(() => setText(stepMs === undefined ? '' : formatDuration(stepMs)), [stepMs]);
  const apply = () => {
    if (text.trim() === '') return onChange(undefined);
    try {
      const ms = parseDuration(text.trim());
      if (ms > 0) return onChange(ms);
    } catch {
      // restore below
    }
    setText(stepMs === undefined ? '' : formatDuration(stepMs));
  };
  return <input className="input mono" style={{ width: 90 }} value={text} placeholder={`auto (${formatDuration(autoMs)})`} aria-label="Resolution" onChange={(e) => setText(e.target.value)} onBlur={apply} onKeyDown={(e) => e.key === 'Enter' && apply()} />;
}
