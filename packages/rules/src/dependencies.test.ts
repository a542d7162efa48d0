import { join } from 'node:path';
import { Labels } from '@pyrometer/model';
import { conformanceDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { concurrentEvaluation } from './concurrency.js';
import { evalIteration } from './group-eval.js';
import type { Group } from './group.js';
import type { QueryFunc } from './query-func.js';
import { metricValue, ruleFile, testManager } from './test-harness.js';

const fixture = (name: string) => join(conformanceDir('rules'), name);

/** A query function that records the most queries in flight at once; each answers one sample. */
function trackingQuery(): { query: QueryFunc; maxInFlight: () => number } {
  let inFlight = 0;
  let max = 0;
  const query: QueryFunc = async (_q, t) => {
    max = Math.max(max, ++inFlight);
    await new Promise((resolve) => setImmediate(resolve)); // let whatever else can start, start
    inFlight--;
    return [{ metric: Labels.from({ __name__: 'test' }), t, f: 12345 }];
  };
  return { query, maxInFlight: () => max };
}

async function groupsOf(file: string, options: Parameters<typeof testManager>[0] = {}): Promise<Group[]> {
  return testManager(options).manager.loadGroups({ files: [file], interval: 1000, externalLabels: {}, externalURL: '' });
}

const names = (rules: readonly { name: string }[] | undefined) => rules?.map((r) => r.name);

describe('rule dependencies (shared/conformance/rules)', () => {
  it('rules.yaml: a single rule has none', async () => {
    const [g] = await groupsOf(fixture('rules.yaml'));
    expect([names(g!.rules[0]!.dependents), names(g!.rules[0]!.dependencies)]).toEqual([[], []]);
  });

  it('rules_dependencies.yaml: the base rule has one dependent and no dependencies (upstream TestDependencyMap)', async () => {
    const [g] = await groupsOf(fixture('rules_dependencies.yaml'));
    const [base, alert] = g!.rules;
    expect([names(base!.dependents), names(base!.dependencies)]).toEqual([['HighRequestRate'], []]);
    expect([names(alert!.dependents), names(alert!.dependencies)]).toEqual([[], ['job:http_requests:rate5m']]);
  });

  it('rules_multiple.yaml: metric names and ALERTS{alertname} make dependencies', async () => {
    const [g] = await groupsOf(fixture('rules_multiple.yaml'));
    expect(g!.rules.map((r) => [r.name, names(r.dependents), names(r.dependencies)])).toEqual([
      ['job:http_requests:rate1m', [], []],
      ['job:http_requests:rate5m', [], []],
      ['job:http_requests:rate15m', ['TooManyRequests'], []],
      ['TooManyRequests', [], ['job:http_requests:rate15m']],
      ['TooManyFailures', ['TooManyFailuresAlerts'], []],
      ['TooManyFailuresAlerts', [], ['TooManyFailures']],
    ]);
  });

  it('rules_multiple_independent.yaml: ALERTS of alerts the group does not define are no dependency', async () => {
    const [g] = await groupsOf(fixture('rules_multiple_independent.yaml'));
    expect(g!.rules.every((r) => r.noDependents() && r.noDependencies())).toBe(true);
    expect(concurrentEvaluation(4).batches(g!.rules)).toEqual([[0, 1, 2, 3, 4, 5, 6, 7]]);
  });

  it('rules_indeterminates.yaml: a selector without a metric name makes every rule unknown', async () => {
    const [g] = await groupsOf(fixture('rules_indeterminates.yaml'));
    expect(g!.rules.map((r) => [r.dependents, r.dependencies])).toEqual(g!.rules.map(() => [undefined, undefined]));
    expect(concurrentEvaluation(4).batches(g!.rules)).toEqual(g!.rules.map((_, i) => [i]));
  });

  it.each([
    ['rules_multiple_dependents_on_base.yaml', [[0, 4], [1, 2, 3, 5, 6, 7]]],
    ['rules_chain.yaml', [[0, 1], [2], [3], [4, 5, 6]]],
    ['rules_multiple.yaml', [[0, 1, 2, 4], [3, 5]]],
  ])('%s is evaluated in batches %j', async (file, batches) => {
    const [g] = await groupsOf(fixture(file));
    expect(concurrentEvaluation(4).batches(g!.rules)).toEqual(batches);
  });

  it('a reload analyses the new rules (upstream TestDependencyMapUpdatesOnGroupUpdate)', async () => {
    const { manager } = testManager();
    const file = ruleFile('groups:\n  - name: g\n    rules:\n      - {record: a, expr: vector(1)}\n      - {record: b, expr: vector(1)}\n');
    await manager.update({ files: [file], interval: 1000, externalLabels: {}, externalURL: '' });
    expect(names(manager.rules()[0]!.dependents)).toEqual([]);
    await manager.update({ files: [ruleFile('groups:\n  - name: g\n    rules:\n      - {record: a, expr: vector(1)}\n      - {record: b, expr: a}\n', 'rules.yml', join(file, '..'))], interval: 1000, externalLabels: {}, externalURL: '' });
    expect(names(manager.rules()[0]!.dependents)).toEqual(['b']);
    await manager.stop();
  });
});

describe('concurrent rule evaluation (upstream TestAsyncRuleEvaluation, TestBoundedRuleEvalConcurrency)', () => {
  it.each([
    { name: 'sequential by default: one query at a time', file: 'rules_multiple.yaml', options: {}, inFlight: 1, samples: 4 },
    { name: 'with 2 slots, at most 3 queries at once (2 concurrent and the group’s own)', file: 'rules_multiple.yaml', options: { concurrentEvals: true, maxConcurrentEvals: 2 }, inFlight: 3, samples: 4 },
    { name: 'all independent rules with enough slots run together', file: 'rules_multiple_independent.yaml', options: { concurrentEvals: true, maxConcurrentEvals: 8 }, inFlight: 8, samples: 8 },
  ])('$file: $name; every recording rule yields its sample', async ({ file, options, inFlight, samples }) => {
    const { query, maxInFlight } = trackingQuery();
    const h = testManager({ query, ...options });
    const [g] = await h.manager.loadGroups({ files: [fixture(file)], interval: 1000, externalLabels: {}, externalURL: '' });
    await evalIteration(g!, 1000);
    expect(maxInFlight()).toBe(inFlight);
    expect(metricValue(h.registry, 'prometheus_rule_group_last_evaluation_samples', { rule_group: g!.key })).toBe(samples);
  });

  it('rules_multiple_groups.yaml: the slot limit holds across groups (3 slots + each group’s own = 5)', async () => {
    const { query, maxInFlight } = trackingQuery();
    const h = testManager({ query, concurrentEvals: true, maxConcurrentEvals: 3 });
    const groups = await h.manager.loadGroups({ files: [fixture('rules_multiple_groups.yaml')], interval: 1000, externalLabels: {}, externalURL: '' });
    await Promise.all(groups.map((g) => evalIteration(g, 1000)));
    expect(maxInFlight()).toBe(5);
  });
});
