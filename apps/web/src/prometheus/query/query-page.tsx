import { useCallback, useMemo, useRef } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { PageHeader } from '../../shell/layout.js';
import { QueryPanel } from './query-panel.js';
import { newPanel, panelsFromSearch, searchFromPanels, type PanelState } from './url-state.js';

/**
 * The query page: several panels, their state in the URL (`g0.expr=…&g0.tab=…`, Prometheus's
 * link format), so a page can be bookmarked, shared and opened from alerts and Grafana.
 */
export function QueryPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const panels = useMemo(() => {
    const parsed = panelsFromSearch(location.search);
    return parsed.length > 0 ? parsed : [newPanel()];
  }, [location.search]);
  // Changes apply to the latest panels, also when two arrive before the URL has re-rendered
  // (choosing the Graph tab, then Execute, in quick succession).
  const latest = useRef(panels);
  latest.current = panels;
  const update = useCallback(
    (change: (current: PanelState[]) => PanelState[]) => {
      latest.current = change(latest.current);
      navigate({ search: `?${searchFromPanels(latest.current)}` });
    },
    [navigate],
  );
  return (
    <>
      <PageHeader title="Query" />
      {panels.map((p, i) => (
        <QueryPanel
          key={i}
          panel={p}
          onChange={(change) => update((current) => current.map((q, j) => (j === i ? { ...q, ...change } : q)))}
          onRemove={panels.length > 1 ? () => update((current) => current.filter((_, j) => j !== i)) : undefined}
        />
      ))}
      <button type="button" className="btn" onClick={() => update((current) => [...current, newPanel()])}>
        Add query
      </button>
    </>
  );
}
