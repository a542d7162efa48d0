import { Matcher, MatchType, METRIC_NAME_LABEL } from '@pyrometer/model';
import { inspect } from '@pyrometer/promql/parser';
import { AlertingRule, ALERTS_FOR_STATE_METRIC, ALERTS_METRIC } from './alerting-rule.js';
import type { BaseRule } from './rule.js';

/**
 * Works out which rules of a group read which earlier rules' output (upstream's
 * `buildDependencyMap`) and records it on each rule (`dependents`, `dependencies`). A rule reads
 * another when one of its selectors' name matcher matches the other's name, or when it selects
 * `ALERTS`/`ALERTS_FOR_STATE` with an `alertname` that matches (or no `alertname` matcher) an
 * earlier alerting rule. Only earlier rules count: evaluation order is the file's. A selector
 * without a name matcher (`{job="x"}`) could read anything, so then nothing is recorded and every
 * rule stays "unknown" (evaluated one at a time).
 */
export function analyseDependencies(rules: readonly BaseRule[]): void {
  const dependents = dependencyMap(rules);
  if (dependents === undefined) return;
  for (const rule of rules) {
    rule.dependents = dependents.get(rule) ?? [];
    rule.dependencies = rules.filter((other) => dependents.get(other)?.includes(rule));
  }
}

/** Each rule → the rules that read its output; undefined when a selector makes that unknowable. */
function dependencyMap(rules: readonly BaseRule[]): Map<BaseRule, BaseRule[]> | undefined {
  const map = new Map<BaseRule, BaseRule[]>();
  if (rules.length <= 1) return map;
  let indeterminate = false;
  const add = (from: BaseRule, to: BaseRule) => map.set(from, [...(map.get(from) ?? []), to]);
  for (const rule of rules) {
    inspect(rule.expr, (node) => {
      if (indeterminate) return false;
      if (node.type !== 'VectorSelector') return;
      const nameMatcher = node.name !== '' ? new Matcher(MatchType.Equal, METRIC_NAME_LABEL, node.name) : node.matchers.find((m) => m.name === METRIC_NAME_LABEL);
      if (nameMatcher === undefined) {
        indeterminate = true;
        return false;
      }
      const readsAlerts = nameMatcher.matches(ALERTS_METRIC) || nameMatcher.matches(ALERTS_FOR_STATE_METRIC);
      const alertName = readsAlerts ? node.matchers.find((m) => m.name === 'alertname') : undefined;
      for (const other of rules) {
        if (other === rule) break;
        if (nameMatcher.matches(other.name)) add(other, rule);
        else if (readsAlerts && other instanceof AlertingRule && (alertName === undefined || alertName.matches(other.name))) add(other, rule);
      }
    });
    if (indeterminate) return undefined;
  }
  return map;
}
