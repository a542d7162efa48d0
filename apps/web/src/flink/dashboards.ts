import backpressureBoard from '../../../../deploy/grafana/dashboards/flink-backpressure.json';
import overviewBoard from '../../../../deploy/grafana/dashboards/flink-cluster-overview.json';
import jobBoard from '../../../../deploy/grafana/dashboards/flink-job.json';
import jvmBoard from '../../../../deploy/grafana/dashboards/flink-taskmanager-jvm.json';
import throughputBoard from '../../../../deploy/grafana/dashboards/flink-throughput.json';

// One source of truth for the Flink dashboard's queries: the Grafana dashboards in
// deploy/grafana/dashboards, read at build time. A panel is found by its dashboard and title;
// a renamed or deleted panel fails the build's test (test/flink-dashboards.test.ts).

/** One query of a Grafana panel: PromQL (with `$variables`) and the legend format. */
export interface PanelQuery {
  expr: string;
  legendFormat: string;
}

/** A Grafana panel as the Flink pages use it. */
export interface DashboardPanel {
  title: string;
  type: string;
  targets: PanelQuery[];
}

interface Board {
  panels: { title: string; type: string; targets: { expr: string; legendFormat?: string }[] }[];
}

export const BOARDS = {
  overview: overviewBoard as Board,
  job: jobBoard as Board,
  throughput: throughputBoard as Board,
  backpressure: backpressureBoard as Board,
  jvm: jvmBoard as Board,
} as const;

export type BoardName = keyof typeof BOARDS;

/** The panel titled `title` of a dashboard; throws naming both when there is none. */
export function panel(board: BoardName, title: string): DashboardPanel {
  const found = BOARDS[board].panels.find((p) => p.title === title);
  if (found === undefined) throw new Error(`Grafana dashboard "${board}" has no panel titled "${title}"`);
  return { title: found.title, type: found.type, targets: found.targets.map((t) => ({ expr: t.expr, legendFormat: t.legendFormat ?? '' })) };
}

/** RE2 metacharacters escaped, as Grafana escapes a single variable value inside `=~"…"`. */
function regexEscape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&').replace(/"/g, '\\"');
}

/**
 * Fills Grafana `$name` / `${name}` variables: a given value matches exactly (regex-escaped, as
 * the dashboards use `=~"$var"`), a missing one matches everything (`.*`, Grafana's "All").
 */
export function substitute(expr: string, vars: Readonly<Record<string, string>> = {}): string {
  return expr.replace(/\$\{?(\w+)\}?/g, (_, name: string) => (vars[name] !== undefined ? regexEscape(vars[name]) : '.*'));
}
