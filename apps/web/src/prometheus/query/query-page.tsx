import { useCallback, useMemo } from 'react';
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
  const save = useCallback((next: PanelState[]) => navigate({ search: `?${searchFromPanels(next)}` }), [navigate]);
  return (
    <>
      <PageHeader title="Query" />
      {panels.map((p, i) => (
        <QueryPanel
          key={i}
          panel={p}
          onChange={(change) => save(panels.map((q, j) => (j === i ? { ...q, ...change } : q)))}
          onRemove={panels.length > 1 ? () => save(panels.filter((_, j) => j !== i)) : undefined}
        />
      ))}
      <button type="button" className="btn" onClick={() => save([...panels, newPanel()])}>
        Add query
      </button>
    </>
  );
}
