import { useEffect, useState } from 'react';
import { promData } from '../../shell/api.js';
import { ErrorBox } from '../../shell/components.js';
import { ExplainView } from './explain-view.js';
import { GraphView } from './graph-view.js';
import { queryHistory, rememberQuery } from './history.js';
import { PromqlEditor } from './promql-editor.js';
import { TableView } from './table-view.js';
import type { PanelState, PanelTab } from './url-state.js';

const TABS: { tab: PanelTab; label: string }[] = [
  { tab: 'table', label: 'Table' },
  { tab: 'graph', label: 'Graph' },
  { tab: 'explain', label: 'Explain' },
];

/**
 * One query panel: the editor with Execute, Format and History, then the table, graph or
 * explain tab for the executed expression. `panel` is the URL state; the editor's text is only
 * committed to it on execution.
 */
export function QueryPanel({ panel, onChange, onRemove }: { panel: PanelState; onChange: (p: Partial<PanelState>) => void; onRemove: (() => void) | undefined }) {
  const [draft, setDraft] = useState(panel.expr);
  useEffect(() => setDraft(panel.expr), [panel.expr]);
  const [runId, setRunId] = useState(0);
  const [formatError, setFormatError] = useState<string | undefined>();
  const [showHistory, setShowHistory] = useState(false);
  const execute = (expr = draft) => {
    rememberQuery(expr);
    setRunId((r) => r + 1);
    onChange({ expr });
  };
  const format = () =>
    promData<string>('api/v1/format_query', { query: draft }).then(
      (formatted) => {
        setFormatError(undefined);
        setDraft(formatted);
      },
      (err: Error) => setFormatError(err.message),
    );
  return (
    <section className="panel query-panel">
      <div className="query-row">
        <PromqlEditor value={draft} onChange={setDraft} onExecute={() => execute()} />
        <button type="button" className="btn btn-primary" onClick={() => execute()}>
          Execute
        </button>
        <button type="button" className="btn" onClick={format} title="Format the expression">
          Format
        </button>
        <button type="button" className="btn" onClick={() => setShowHistory(!showHistory)} aria-expanded={showHistory}>
          History
        </button>
        {onRemove && (
          <button type="button" className="btn" onClick={onRemove} aria-label="Remove panel" title="Remove panel">
            ✕
          </button>
        )}
      </div>
      {showHistory && (
        <ul className="history" aria-label="Query history">
          {queryHistory().length === 0 && <li className="muted">No queries yet.</li>}
          {queryHistory().map((q) => (
            <li key={q}>
              <button
                type="button"
                className="link-button mono"
                onClick={() => {
                  setDraft(q);
                  setShowHistory(false);
                  execute(q);
                }}
              >
                {q}
              </button>
            </li>
          ))}
        </ul>
      )}
      {formatError && <ErrorBox error={formatError} title="Cannot format" />}
      <div className="tabs" role="tablist">
        {TABS.map(({ tab, label }) => (
          <button key={tab} type="button" role="tab" aria-selected={panel.tab === tab} className={`tab${panel.tab === tab ? ' active' : ''}`} onClick={() => onChange({ tab })}>
            {label}
          </button>
        ))}
      </div>
      {panel.expr.trim() === '' ? (
        <p className="muted">No expression entered yet.</p>
      ) : panel.tab === 'table' ? (
        <TableView expr={panel.expr} momentMs={panel.momentMs} onMomentChange={(momentMs) => onChange({ momentMs })} runId={runId} />
      ) : panel.tab === 'graph' ? (
        <GraphView panel={panel} onChange={onChange} runId={runId} />
      ) : (
        <ExplainView expr={panel.expr} runId={runId} />
      )}
    </section>
  );
}
