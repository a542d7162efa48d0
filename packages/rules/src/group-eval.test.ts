import { describe, expect, it } from 'vitest';
import type { AlertingRule } from './alerting-rule.js';
import { evalGroup } from './group-eval.js';
import type { Group } from './group.js';
import { load, metricValue, ruleFile, samples, testManager } from './test-harness.js';

const MIN = 60_000;
const spec = (text: string, extra: Record<string, unknown> = {}) => ({ files: [ruleFile(text)], interval: MIN, externalLabels: {}, externalURL: '', ...extra });

async function groupsWith(text: string, options: Parameters<typeof testManager>[0], batchQueries: boolean) {
  const h = testManager({ batchQueries, ...options });
  const groups = await h.manager.loadGroups(spec(text));
  return { ...h, groups, group: groups[0]! as Group };
}

// Every case holds whether each rule queries on its own or runs of independent rules query in one batch.
describe.each([
  { mode: 'one query per rule', batched: false },
  { mode: 'queries batched per run of independent rules', batched: true },
])('evalGroup ($mode)', ({ batched }) => {
  const groupsOf = (text: string, options: Parameters<typeof testManager>[0] = {}) => groupsWith(text, options, batched);

  it('a later rule sees an earlier rule’s output of the same round', async () => {
    const { storage, group } = await groupsOf('groups:\n  - name: g\n    rules:\n      - record: a\n        expr: vector(1)\n      - record: b\n        expr: a * 2\n');
    await evalGroup(group, 5 * MIN);
    expect(await samples(storage, '{__name__=~"a|b"}')).toEqual({ '{__name__="a"}': [[5 * MIN, 1]], '{__name__="b"}': [[5 * MIN, 2]] });
  });

  it('marks series a rule stopped producing stale (upstream TestStaleness)', async () => {
    const { storage, group } = await groupsOf('groups:\n  - name: g\n    rules:\n      - record: a_plus_one\n        expr: a + 1\n');
    await load(storage, { 'a{x="1"}': '0 1 stale' }, 1000);
    for (const t of [0, 1000, 2000]) await evalGroup(group, t);
    expect(await samples(storage, 'a_plus_one')).toEqual({ '{__name__="a_plus_one", x="1"}': [[0, 1], [1000, 2], [2000, 'stale']] });
  });

  it('keeps a rule’s record of last round’s series while its output series stay the same, and still marks a series gone later stale', async () => {
    const { storage, group } = await groupsOf('groups:\n  - name: g\n    rules:\n      - record: a_plus_one\n        expr: a + 1\n');
    await load(storage, { 'a{x="1"}': '0 1 2 3', 'a{x="2"}': '0 1 stale' }, 1000);
    await evalGroup(group, 0);
    const first = group.seriesInPreviousEval[0];
    await evalGroup(group, 1000);
    expect(group.seriesInPreviousEval[0]).toBe(first);
    await evalGroup(group, 2000);
    expect(group.seriesInPreviousEval[0]).not.toBe(first);
    expect([...group.seriesInPreviousEval[0]!.values()].map(String)).toEqual(['{__name__="a_plus_one", x="1"}']);
    await evalGroup(group, 3000);
    expect(await samples(storage, 'a_plus_one')).toEqual({ '{__name__="a_plus_one", x="1"}': [[0, 1], [1000, 2], [2000, 3], [3000, 4]], '{__name__="a_plus_one", x="2"}': [[0, 1], [1000, 2], [2000, 'stale']] });
  });

  it('queries and writes at ts minus the group’s query offset, else the default offset (upstream TestGroup_QueryOffset)', async () => {
    const text = 'groups:\n  - name: own\n    query_offset: 2m\n    rules:\n      - record: r1\n        expr: vector(1)\n  - name: inherited\n    rules:\n      - record: r2\n        expr: vector(1)\n';
    const { storage, groups } = await groupsOf(text, { defaultQueryOffset: () => MIN });
    for (const g of groups) await evalGroup(g, 10 * MIN);
    expect(await samples(storage, '{__name__=~"r1|r2"}')).toEqual({ '{__name__="r1"}': [[8 * MIN, 1]], '{__name__="r2"}': [[9 * MIN, 1]] });
  });

  it('records health and the last error per rule, and counts evaluations and failures (upstream TestRuleHealthUpdates)', async () => {
    const { group, registry, storage } = await groupsOf('groups:\n  - name: g\n    rules:\n      - record: ok\n        expr: vector(1)\n      - record: bad\n        expr: a + on(x) b\n');
    const [ok, bad] = group.rules;
    expect([ok!.health, bad!.health]).toEqual(['unknown', 'unknown']);
    await load(storage, { 'a{x="1",y="1"}': '1', 'b{x="1",y="2"}': '1', 'b{x="1",y="3"}': '1' }, MIN, MIN);
    await evalGroup(group, MIN);
    expect([ok!.health, bad!.health]).toEqual(['ok', 'err']);
    expect(bad!.lastError?.message).toContain('many-to-many matching not allowed');
    expect(bad!.evaluationTimestamp).toBe(0);
    expect(metricValue(registry, 'prometheus_rule_evaluation_failures_total', { rule_group: group.key })).toBe(1);
    expect(metricValue(registry, 'prometheus_rule_evaluations_total', { rule_group: group.key })).toBe(2);
    await load(storage, { 'b{x="1",y="3"}': 'stale' }, MIN, 2 * MIN);
    await evalGroup(group, 2 * MIN);
    expect([bad!.health, bad!.lastError]).toEqual(['ok', undefined]);
  });

  it('a rule whose sample is rejected by storage is unhealthy, and the round goes on', async () => {
    const { group, storage } = await groupsOf('groups:\n  - name: g\n    rules:\n      - record: a\n        expr: vector(1)\n      - record: b\n        expr: vector(2)\n');
    await load(storage, { a: '5' }, 1, 10 * MIN);
    await evalGroup(group, 5 * MIN);
    expect(group.rules[0]!.health).toBe('err');
    expect(group.rules[0]!.lastError?.message).toBe('out of order sample');
    expect(await samples(storage, 'b')).toEqual({ '{__name__="b"}': [[5 * MIN, 2]] });
  });

  it('sends firing and resolved alerts per the resend delay, never pending ones (upstream TestNotify)', async () => {
    const { group, storage, sent } = await groupsOf('groups:\n  - name: g\n    rules:\n      - alert: aTooHigh\n        expr: a > 1\n', { resendDelay: 2 * MIN });
    (group.rules[0] as AlertingRule).restored = true;
    await load(storage, { a: '0 2 2 2 2 2 2 0 0' }, MIN);
    for (let m = 0; m <= 8; m++) await evalGroup(group, m * MIN);
    expect(sent.map((s) => [s.expr, s.alerts.map((a) => [a.state, a.lastSentAt, a.validUntil, a.resolvedAt])])).toEqual([
      ['a > 1', [['firing', MIN, 9 * MIN, undefined]]],
      ['a > 1', [['firing', 4 * MIN, 12 * MIN, undefined]]],
      ['a > 1', [['inactive', 7 * MIN, 15 * MIN, 7 * MIN]]],
    ]);
  });

  it('writes ALERTS and ALERTS_FOR_STATE once restored', async () => {
    const { group, storage } = await groupsOf('groups:\n  - name: g\n    rules:\n      - alert: High\n        expr: a > 1\n        for: 1m\n        labels: {severity: page}\n');
    (group.rules[0] as AlertingRule).restored = true;
    await load(storage, { 'a{i="x"}': '2 2 2' }, MIN);
    for (const m of [0, 1, 2]) await evalGroup(group, m * MIN);
    expect(await samples(storage, '{__name__=~"ALERTS.*"}')).toEqual({
      '{__name__="ALERTS", alertname="High", alertstate="firing", i="x", severity="page"}': [[MIN, 1], [2 * MIN, 1]],
      '{__name__="ALERTS", alertname="High", alertstate="pending", i="x", severity="page"}': [[0, 1], [MIN, 'stale']],
      '{__name__="ALERTS_FOR_STATE", alertname="High", i="x", severity="page"}': [[0, 0], [MIN, 0], [2 * MIN, 0]],
    });
  });

  it('the round stops between rules once told to', async () => {
    const { group, storage } = await groupsOf('groups:\n  - name: g\n    rules:\n      - record: a\n        expr: vector(1)\n      - record: b\n        expr: vector(2)\n');
    let calls = 0;
    await evalGroup(group, 0, { stopped: () => calls++ > 0 });
    expect(Object.keys(await samples(storage, '{__name__=~"a|b"}'))).toEqual(['{__name__="a"}']);
  });
});

describe('Group.copyState (upstream TestCopyState)', () => {
  it('matches rules by name and labels, duplicates in order, and marks unmatched series stale', async () => {
    const { manager } = testManager();
    const oldText = `groups:
  - name: g
    rules:
      - {record: r1, expr: vector(1), labels: {l1: v1}}
      - {record: r2, expr: vector(1), labels: {l1: v0}}
      - {record: r3, expr: vector(1), labels: {l1: v1}}
      - {record: r3, expr: vector(2), labels: {l1: v1}}
      - {alert: alert2, expr: vector(3), labels: {l2: v1}}
      - {record: r4, expr: vector(4)}
`;
    const newText = `groups:
  - name: g
    rules:
      - {record: r3, expr: vector(0), labels: {l1: v1}}
      - {record: r3, expr: vector(0), labels: {l1: v1}}
      - {record: r1, expr: vector(0), labels: {l1: v1}}
      - {alert: alert2, expr: vector(0), labels: {l2: v1}}
      - {record: r3, expr: vector(0), labels: {l1: v1}}
      - {record: r2, expr: vector(0), labels: {l1: v1}}
`;
    const [from] = await manager.loadGroups(spec(oldText));
    const [to] = await manager.loadGroups(spec(newText));
    from!.seriesInPreviousEval.forEach((m, i) => m.set(`s${i}`, from!.rules[i]!.labels));
    from!.evaluationTime = 123;
    (from!.rules[4] as AlertingRule).active.set('k', { state: 'firing' } as never);
    to!.copyState(from!);
    expect(to!.seriesInPreviousEval.map((m) => [...m.keys()])).toEqual([['s2'], ['s3'], ['s0'], ['s4'], [], []]);
    expect(to!.staleSeries.map((l) => l.toString())).toEqual(['{l1="v0"}', '{}']);
    expect((to!.rules[3] as AlertingRule).active.get('k')).toEqual({ state: 'firing' });
    expect(to!.evaluationTime).toBe(123);
  });
});
