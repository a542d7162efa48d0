import type { QueryData } from '@pyrometer/http-api';
import { promApi } from '../../shell/api.js';
import { ErrorBox, Loading, Notice } from '../../shell/components.js';
import { seriesText } from '../../shell/format.js';
import { useFetch } from '../../shell/use-fetch.js';
import { TimeInput } from './time-input.js';

const MAX_ROWS = 10_000;

/** The table tab: an instant query at the chosen time (now by default), one row per series. */
export function TableView({ expr, momentMs, onMomentChange, runId }: { expr: string; momentMs: number | undefined; onMomentChange: (ms: number | undefined) => void; runId: number }) {
  const state = useFetch(
    () => promApi<QueryData>('api/v1/query', { query: expr, ...(momentMs !== undefined ? { time: momentMs / 1000 } : {}) }),
    `${expr}|${momentMs}|${runId}`,
  );
  return (
    <div>
      <div className="row">
        <span className="muted">Evaluation time</span>
        <TimeInput valueMs={momentMs} onChange={onMomentChange} />
      </div>
      {state.error && <ErrorBox error={state.error} />}
      {state.data === undefined ? !state.error && <Loading /> : <Result answer={state.data} />}
    </div>
  );
}

function Result({ answer }: { answer: { data: QueryData; warnings: string[]; infos: string[] } }) {
  const { data } = answer;
  return (
    <>
      {answer.warnings.map((w) => <Notice key={w} kind="warning">{w}</Notice>)}
      {answer.infos.map((w) => <Notice key={w}>{w}</Notice>)}
      {data.resultType === 'scalar' || data.resultType === 'string' ? (
        <table className="table result-table">
          <tbody>
            <tr>
              <td>{data.resultType}</td>
              <td className="num mono">{data.result[1]}</td>
            </tr>
          </tbody>
        </table>
      ) : data.result.length === 0 ? (
        <p className="muted">Empty query result.</p>
      ) : (
        <>
          {data.result.length > MAX_ROWS && <Notice kind="warning">Showing {MAX_ROWS} of {data.result.length} series.</Notice>}
          <table className="table result-table" data-testid="query-table">
            <tbody>
              {data.result.slice(0, MAX_ROWS).map((s, i) => (
                <tr key={i}>
                  <td className="mono series-cell">{seriesText(s.metric)}</td>
                  <td className="num mono">{'value' in s ? s.value?.[1] : 'values' in s ? (s.values ?? []).map(([t, v]) => `${v} @${t}`).join('\n') : ''}{'histogram' in s && s.histogram ? `count ${s.histogram[1].count}, sum ${s.histogram[1].sum}` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
