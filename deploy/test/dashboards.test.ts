import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseExpr } from '@pyrometer/promql/parser';
import { repoRoot } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { dashboardQueries, substituteVariables } from './dashboard-queries.js';

const dir = join(repoRoot(), 'deploy/grafana/dashboards');

interface Board {
  uid: string;
  templating: { list: { name: string; type: string; query?: { query?: string } | string }[] };
  panels: { datasource: { uid: string }; targets: { datasource: { uid: string } }[] }[];
}
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('Grafana dashboards', () => {
  it('cover the views the stack promises', () => {
    expect(files.sort()).toEqual(['flink-backpressure.json', 'flink-cluster-overview.json', 'flink-job.json', 'flink-taskmanager-jvm.json', 'flink-throughput.json', 'node-exporter-host.json']);
  });

  it.each(files)('%s: unique uid, data source from the ${datasource} variable, every query parses', (file) => {
    const board = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Board;
    expect(board.uid).toBe(file.replace(/\.json$/, ''));
    const datasource = board.templating.list.find((v) => v.name === 'datasource');
    expect(datasource).toMatchObject({ type: 'datasource', query: 'prometheus', current: { value: 'pyrometer' } });
    for (const panel of board.panels) {
      expect(panel.datasource.uid).toBe('${datasource}');
      for (const target of panel.targets) expect(target.datasource.uid).toBe('${datasource}');
    }
    const queries = dashboardQueries(join(dir, file));
    expect(queries.length).toBeGreaterThan(3);
    for (const q of queries) expect(() => parseExpr(substituteVariables(q.expr)), q.expr).not.toThrow();
  });

  it.each(files.filter((f) => f.startsWith('flink-')))('%s: a cluster variable filters every selector', (file) => {
    const board = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Board;
    const cluster = board.templating.list.find((v) => v.name === 'cluster');
    expect(cluster).toMatchObject({ type: 'query', includeAll: true, allValue: '.*', datasource: { uid: '${datasource}' } });
    const variableQueries = board.templating.list.flatMap((v) => (v.name !== 'cluster' && typeof v.query === 'object' && v.query.query !== undefined ? [v.query.query] : []));
    const exprs = [...dashboardQueries(join(dir, file)).map((q) => q.expr), ...variableQueries];
    for (const expr of exprs) {
      // Flink's series, and the Pushgateway's push times of Flink's groups (the grouping key carries `cluster`).
      const selectors = [...expr.matchAll(/\b(?:flink_[\w:]+|push_time_seconds)(\{[^}]*\})?/g)];
      expect(selectors.length, expr).toBeGreaterThan(0);
      for (const [selector, matchers] of selectors) expect(matchers ?? '', `${selector} in ${expr}`).toContain('cluster=~"$cluster"');
    }
  });
});
