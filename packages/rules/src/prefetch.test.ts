import { describe, expect, it } from 'vitest';
import type { AlertingRule } from './alerting-rule.js';
import { evalGroup } from './group-eval.js';
import type { Group } from './group.js';
import { independentRuns } from './prefetch.js';
import { load, ruleFile, samples, testManager } from './test-harness.js';

const MIN = 60_000;

async function group(rules: string, options: Parameters<typeof testManager>[0] = { batchQueries: true }) {
  const h = testManager(options);
  const [g] = await h.manager.loadGroups({ files: [ruleFile(`groups:\n  - name: g\n    rules:\n${rules}`)], interval: MIN, externalLabels: {}, externalURL: 'http://x' });
  return { ...h, group: g as Group };
}

describe('independentRuns', () => {
  it('starts a new run at each rule that reads a rule of the current run (by name or through ALERTS)', async () => {
    const { group: g } = await group(`      - {record: a, expr: vector(1)}
      - {record: b, expr: vector(2)}
      - {record: c, expr: a * 2}
      - {record: d, expr: b + 1}
      - {alert: A, expr: c > 1}
      - {record: e, expr: 'count(ALERTS{alertname="A"})'}
      - {record: f, expr: up}
`);
    expect(independentRuns(g.rules)).toEqual([[0, 1], [2, 3], [4], [5, 6]]);
  });

  it('runs every rule on its own when a selector without a metric name makes dependencies unknown', async () => {
    const { group: g } = await group(`      - {record: a, expr: vector(1)}
      - {record: b, expr: 'count({job="x"})'}
      - {record: c, expr: vector(3)}
`);
    expect(independentRuns(g.rules)).toEqual([[0], [1], [2]]);
  });
});

describe('evalGroup with a batch query function', () => {
  it('queries each run of independent rules in one batch and writes what rule-by-rule evaluation writes', async () => {
    const rules = `      - {record: a, expr: 'sum(x)'}
      - {record: b, expr: 'max(x)'}
      - {record: c, expr: 'a + b'}
      - {alert: High, expr: 'x > 1', labels: {severity: page}, annotations: {s: '{{ $value }} of {{ query "a" | first | value }}'}}
`;
    const batched = await group(rules);
    const single = await group(rules, { batchQueries: false });
    for (const h of [batched, single]) {
      (h.group.rules[3] as AlertingRule).restored = true;
      await load(h.storage, { 'x{i="1"}': '1 2 3', 'x{i="2"}': '2 2 2' }, MIN);
      for (const m of [0, 1, 2]) await evalGroup(h.group, m * MIN);
    }
    expect(batched.batches).toEqual([0, 1, 2].flatMap(() => [['sum(x)', 'max(x)'], ['a + b', 'x > 1']]));
    expect(single.batches).toEqual([]);
    const written = await samples(batched.storage, '{__name__=~"a|b|c|ALERTS.*"}');
    expect(written).toEqual(await samples(single.storage, '{__name__=~"a|b|c|ALERTS.*"}'));
    expect(written['{__name__="c"}']).toEqual([[0, 5], [MIN, 6], [2 * MIN, 8]]);
    const annotations = (h: typeof batched) => [...(h.group.rules[3] as AlertingRule).active.values()].map((a) => a.annotations.s).sort();
    expect(annotations(batched)).toEqual(['2 of 5', '3 of 5']);
    expect(annotations(single)).toEqual(annotations(batched));
    expect(batched.group.rules.map((r) => r.health)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('a batch that cannot run fails every rule of its run with its error; the next run still goes', async () => {
    const h = await group(`      - {record: a, expr: vector(1)}
      - {record: b, expr: vector(2)}
      - {record: c, expr: a}
`, { queryBatch: () => Promise.reject(new Error('evaluator gone')) });
    await evalGroup(h.group, MIN);
    expect(h.group.rules.map((r) => [r.health, r.lastError?.message])).toEqual([['err', 'evaluator gone'], ['err', 'evaluator gone'], ['ok', undefined]]);
    expect(await samples(h.storage, '{__name__=~"a|b|c"}')).toEqual({});
  });

  it('counts the time a rule’s query took in the batch towards the rule’s evaluation duration', async () => {
    const h = await group(`      - {record: a, expr: vector(1)}
      - {record: b, expr: vector(2)}
`, { queryBatch: async (queries) => queries.map((_, i) => ({ ok: true, vector: [], durationMs: 1000 * (i + 1) })) });
    await evalGroup(h.group, MIN);
    expect(h.group.rules.map((r) => Math.floor(r.evaluationDuration / 1000))).toEqual([1, 2]);
  });
});
