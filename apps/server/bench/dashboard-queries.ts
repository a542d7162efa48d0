import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRuleFile } from '@pyrometer/rules';
import { repoRoot } from '@pyrometer/testkit/bench';

/** One benchmark query: where it comes from (dashboard panel, rule, or the issue) and its PromQL. */
export interface BenchQuery {
  readonly source: string;
  readonly expr: string;
}

const M = 'flink_taskmanager_job_task';

/** The shapes issue 18 names beside the dashboards' own (its worst query first). */
const ISSUE_SHAPES: readonly string[] = [
  `histogram_quantile(0.99, sum by (le) (rate(${M}_operator_latency_seconds_bucket[5m])))`,
  `sum by (job_name) (rate(${M}_numRecordsIn[2m]))`,
  `max_over_time(${M}_backPressuredTimeMsPerSecond[5m])`,
  `max_over_time(rate(${M}_numRecordsIn[1m])[10m:1m])`,
  `avg_over_time(${M}_Shuffle_Netty_Input_Buffers_inPoolUsage[5m:30s])`,
  `topk(5, rate(${M}_numRecordsIn[5m]))`,
];

/**
 * Every panel query of the deploy/ Grafana dashboards (their variables as Grafana's "All" sends
 * them, `.*`), every expression of the deploy/ rule files, and the issue's extra shapes;
 * duplicates once.
 */
export function benchQueries(): BenchQuery[] {
  const root = repoRoot();
  const out: BenchQuery[] = [];
  const dashboards = join(root, 'deploy/grafana/dashboards');
  for (const file of readdirSync(dashboards).filter((f) => f.endsWith('.json')).sort()) {
    const board = JSON.parse(readFileSync(join(dashboards, file), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    for (const panel of board.panels) for (const t of panel.targets) out.push({ source: `${file.replace(/\.json$/, '')}: ${panel.title}`, expr: t.expr.replace(/\$\{?\w+\}?/g, '.*') });
  }
  const rules = join(root, 'deploy/rules');
  for (const file of readdirSync(rules).filter((f) => f.endsWith('.rules.yml')).sort()) {
    const parsed = parseRuleFile(readFileSync(join(rules, file), 'utf8'), file);
    if (parsed.errors.length > 0) throw new Error(`${file}: ${parsed.errors.map((e) => e.message).join('; ')}`);
    for (const group of parsed.groups) {
      for (const rule of group.rules) out.push({ source: `${file}: ${rule.record || rule.alert}`, expr: rule.expr });
    }
  }
  for (const expr of ISSUE_SHAPES) out.push({ source: 'issue 18', expr });
  const seen = new Set<string>();
  return out.filter((q) => !seen.has(q.expr) && seen.add(q.expr));
}
