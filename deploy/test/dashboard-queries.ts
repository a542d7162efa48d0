import { readFileSync } from 'node:fs';

/** One PromQL query of a dashboard panel (or template variable), with where it comes from. */
export interface DashboardQuery {
  panel: string;
  expr: string;
}

/** Every panel query of a provisioned Grafana dashboard file. */
export function dashboardQueries(file: string): DashboardQuery[] {
  const board = JSON.parse(readFileSync(file, 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
  return board.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, expr: t.expr })));
}

/** Replaces Grafana variables as "All" selects them: `$job_name` → `.*` inside regex matchers. */
export function substituteVariables(expr: string): string {
  return expr.replace(/\$\{?(\w+)\}?/g, '.*');
}
