import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseExpr } from '@pyrometer/promql/parser';
import { repoRoot } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { dashboardQueries, substituteVariables } from './dashboard-queries.js';

const dir = join(repoRoot(), 'deploy/grafana/dashboards');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('Grafana dashboards', () => {
  it('cover the views the stack promises', () => {
    expect(files.sort()).toEqual(['flink-backpressure.json', 'flink-cluster-overview.json', 'flink-job.json', 'flink-taskmanager-jvm.json', 'flink-throughput.json', 'node-exporter-host.json']);
  });

  it.each(files)('%s: unique uid, provisioned data source, every query parses', (file) => {
    const board = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { uid: string; panels: { datasource: { uid: string } }[] };
    expect(board.uid).toBe(file.replace(/\.json$/, ''));
    for (const panel of board.panels) expect(panel.datasource.uid).toBe('pyrometer');
    const queries = dashboardQueries(join(dir, file));
    expect(queries.length).toBeGreaterThan(3);
    for (const q of queries) expect(() => parseExpr(substituteVariables(q.expr)), q.expr).not.toThrow();
  });
});
