import { describe, expect, it } from 'vitest';
import { autoStepMs, panelsFromSearch, searchFromPanels } from './url-state.js';

describe('query page URL state', () => {
  it('reads a Prometheus 2.x link (alert generatorURL): tab=1 is the table, tab=0 the graph, stacked, step in seconds', () => {
    const [table, graph] = panelsFromSearch('?g0.expr=up&g0.tab=1&g1.expr=rate(x%5B5m%5D)&g1.tab=0&g1.stacked=1&g1.range_input=6h&g1.step_input=30&g1.end_input=2024-05-01%2010%3A00%3A00');
    expect(table).toMatchObject({ expr: 'up', tab: 'table', rangeMs: 3_600_000, displayMode: 'lines' });
    expect(graph).toMatchObject({ expr: 'rate(x[5m])', tab: 'graph', rangeMs: 21_600_000, stepMs: 30_000, displayMode: 'stacked', endMs: Date.UTC(2024, 4, 1, 10) });
  });

  it('reads and writes Prometheus 3.x names, round trip', () => {
    const search = 'g0.expr=sum(up)&g0.tab=explain&g0.range_input=1h30m&g0.moment_input=2024-05-01+10%3A00%3A00&g0.display_mode=stacked';
    const panels = panelsFromSearch(search);
    expect(panels[0]).toMatchObject({ tab: 'explain', rangeMs: 5_400_000, momentMs: Date.UTC(2024, 4, 1, 10), displayMode: 'stacked' });
    expect(panelsFromSearch(searchFromPanels(panels))).toEqual(panels);
  });

  it('has no panels without g0 parameters, and an automatic step of about 250 points', () => {
    expect(panelsFromSearch('')).toEqual([]);
    expect(autoStepMs(3_600_000)).toBe(14_000);
    expect(autoStepMs(60_000)).toBe(1000);
  });
});
