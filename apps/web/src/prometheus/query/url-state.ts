import { formatDuration, parseDuration } from '@pyrometer/model';
import { formatTimeInput, parseTimeInput } from '../../shell/time-text.js';

export type PanelTab = 'table' | 'graph' | 'explain';
export type DisplayMode = 'lines' | 'stacked';

/** One query panel's state, as the URL carries it (`g<i>.…` parameters). Times in ms since the epoch. */
export interface PanelState {
  expr: string;
  tab: PanelTab;
  /** Graph range, ms. */
  rangeMs: number;
  /** Graph end time, or undefined for "now". */
  endMs: number | undefined;
  /** Table evaluation time, or undefined for "now". */
  momentMs: number | undefined;
  /** Graph resolution in ms, or undefined for automatic. */
  stepMs: number | undefined;
  displayMode: DisplayMode;
}

export const DEFAULT_RANGE_MS = 3_600_000;

export function newPanel(expr = ''): PanelState {
  return { expr, tab: 'table', rangeMs: DEFAULT_RANGE_MS, endMs: undefined, momentMs: undefined, stepMs: undefined, displayMode: 'lines' };
}

function durationOr(text: string | null, fallback: number | undefined): number | undefined {
  if (text === null || text === '') return fallback;
  try {
    return parseDuration(text);
  } catch {
    const seconds = Number(text);
    return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : fallback;
  }
}

/**
 * Panels from a URL query string, reading Prometheus 3.x links (`g0.tab=graph|table|explain`,
 * `g0.display_mode`) and 2.x links (`g0.tab=0` graph / `1` table, `g0.stacked`, `g0.step_input`
 * in seconds), as alerts' generatorURLs and Grafana's explore links write them.
 */
export function panelsFromSearch(search: string): PanelState[] {
  const params = new URLSearchParams(search);
  const panels: PanelState[] = [];
  for (let i = 0; params.has(`g${i}.expr`) || params.has(`g${i}.tab`); i++) {
    const get = (key: string) => params.get(`g${i}.${key}`);
    const tab = get('tab');
    const stacked = get('stacked') === '1' || get('display_mode') === 'stacked';
    panels.push({
      expr: get('expr') ?? '',
      tab: tab === '0' || tab === 'graph' ? 'graph' : tab === 'explain' ? 'explain' : 'table',
      rangeMs: durationOr(get('range_input'), DEFAULT_RANGE_MS)!,
      endMs: parseTimeInput(get('end_input')),
      momentMs: parseTimeInput(get('moment_input')),
      stepMs: durationOr(get('step_input') ?? get('res_step'), undefined),
      displayMode: stacked ? 'stacked' : 'lines',
    });
  }
  return panels;
}

/** The URL query string for panels, in Prometheus 3.x's parameter names. */
export function searchFromPanels(panels: readonly PanelState[]): string {
  const params = new URLSearchParams();
  panels.forEach((p, i) => {
    params.set(`g${i}.expr`, p.expr);
    params.set(`g${i}.tab`, p.tab);
    params.set(`g${i}.range_input`, formatDuration(p.rangeMs));
    if (p.endMs !== undefined) params.set(`g${i}.end_input`, formatTimeInput(p.endMs));
    if (p.momentMs !== undefined) params.set(`g${i}.moment_input`, formatTimeInput(p.momentMs));
    if (p.stepMs !== undefined) params.set(`g${i}.step_input`, String(p.stepMs / 1000));
    params.set(`g${i}.display_mode`, p.displayMode);
  });
  return params.toString();
}

/** A link (inside the app) to the query page with one panel showing `expr`. */
export function queryLink(expr: string, tab: PanelTab = 'table'): string {
  return `/query?${searchFromPanels([{ ...newPanel(expr), tab }])}`;
}

/** Prometheus 2.x's automatic resolution: about 250 points over the range, at least 1 s. */
export function autoStepMs(rangeMs: number): number {
  return Math.max(Math.floor(rangeMs / 250 / 1000), 1) * 1000;
}
