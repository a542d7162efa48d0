import { join } from 'node:path';
import { expandGlob } from '@pyrometer/config';
import type { ManualClock } from '@pyrometer/model';
import { Engine } from '@pyrometer/promql';
import { MemoryStorage } from '@pyrometer/storage';
import { conformanceDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import type { RuleManager } from './manager.js';
import { engineQueryFunc } from './query-func.js';
import { metricValue, ruleFile, samples, testManager } from './test-harness.js';

const fixtures = (name: string) => join(conformanceDir('rules'), name);
const SEC = 1000;

/** Moves the manual clock forward by `ms`, letting every round that falls due run to completion. */
async function advance(clock: ManualClock, manager: RuleManager, ms: number): Promise<void> {
  const target = clock.now() + ms;
  for (let due = clock.nextDue(); due !== undefined && due <= target; due = clock.nextDue()) {
    clock.advance(due - clock.now());
    await manager.idle();
  }
  clock.advance(target - clock.now());
  await manager.idle();
}

const update = (manager: RuleManager, files: string[], interval = SEC) => manager.update({ files, interval, externalLabels: {}, externalURL: '' });

describe('RuleManager scheduling', () => {
  it('evaluates each group at its own slot of the interval, one round per interval', async () => {
    const { manager, clock, storage } = testManager();
    await update(manager, [ruleFile('groups:\n  - name: a\n    rules:\n      - {record: a, expr: vector(1)}\n  - name: b\n    rules:\n      - {record: b, expr: vector(1)}\n')], 10 * SEC);
    const [ga, gb] = manager.ruleGroups();
    expect(ga!.slotOffset).not.toBe(gb!.slotOffset);
    manager.start();
    await advance(clock, manager, 35 * SEC);
    const written = await samples(storage, '{__name__=~"a|b"}');
    for (const g of [ga!, gb!]) {
      const first = g.evalTimestamp(0) + 10 * SEC;
      expect(written[`{__name__="${g.name}"}`]!.map(([t]) => t)).toEqual([first, first + 10 * SEC, first + 20 * SEC, first + 30 * SEC].filter((t) => t <= 35 * SEC));
      expect(first % (10 * SEC)).toBe(Math.floor(g.slotOffset));
    }
    await manager.stop();
  });

  it('counts missed rounds and never runs them in a burst', async () => {
    let release: () => void = () => {};
    let blocking = false;
    const storage = new MemoryStorage();
    const realQuery = engineQueryFunc(new Engine(), storage);
    const { manager, clock, registry } = testManager(
      {
        query: async (q, t, o) => {
          if (blocking) await new Promise<void>((r) => (release = r));
          return realQuery(q, t, o);
        },
      },
      storage,
    );
    await update(manager, [ruleFile('groups:\n  - name: g\n    rules:\n      - {record: a, expr: vector(1)}\n')], 10 * SEC);
    const [group] = manager.ruleGroups();
    manager.start();
    await advance(clock, manager, group!.evalTimestamp(0) + 10 * SEC); // the first round
    blocking = true;
    clock.advance(10 * SEC); // the second round starts and hangs
    clock.advance(25 * SEC); // the slots at +20s and +30s pass while it hangs
    blocking = false;
    release();
    await manager.idle();
    await advance(clock, manager, 0); // one late round, for the latest slot (+30s); +20s is missed
    const key = { rule_group: group!.key };
    expect(metricValue(registry, 'prometheus_rule_group_iterations_missed_total', key)).toBe(1);
    expect(metricValue(registry, 'prometheus_rule_group_iterations_total', key)).toBe(4);
    expect(metricValue(registry, 'prometheus_rule_evaluations_total', key)).toBe(3);
    expect(group!.lastEvalTimestamp).toBe(group!.evalTimestamp(0) + 40 * SEC);
    await manager.stop();
  });

  it('stop lets the round in progress finish and no round runs after', async () => {
    const { manager, clock, registry } = testManager();
    await update(manager, [ruleFile('groups:\n  - name: g\n    rules:\n      - {record: a, expr: vector(1)}\n')]);
    manager.start();
    await advance(clock, manager, 3 * SEC);
    await manager.stop();
    const key = { rule_group: manager.ruleGroups()[0]!.key };
    const before = metricValue(registry, 'prometheus_rule_group_iterations_total', key);
    await advance(clock, manager, 10 * SEC);
    expect(metricValue(registry, 'prometheus_rule_group_iterations_total', key)).toBe(before);
    expect(clock.nextDue()).toBeUndefined();
  });
});

describe('RuleManager.update', () => {
  it('keeps unchanged groups and their state; recreates changed ones with their predecessor’s state (upstream TestUpdate)', async () => {
    const { manager, clock } = testManager();
    const file = ruleFile('groups:\n  - name: g\n    rules:\n      - {record: r, expr: vector(1)}\n  - name: h\n    rules:\n      - {alert: A, expr: vector(1), for: 1m}\n');
    manager.start();
    await update(manager, [file]);
    await advance(clock, manager, 2 * SEC);
    const [g, h] = manager.ruleGroups();
    await update(manager, [file]);
    expect(manager.ruleGroups()).toEqual([g, h]);
    expect(manager.ruleGroups()[0]).toBe(g);
    const alerts = manager.alertingRules()[0]!.activeAlerts();
    expect(alerts).toHaveLength(1);

    for (const [changed, expr] of [['interval: 2s', 'vector(1)'], ['limit: 5', 'vector(1)'], ['query_offset: 1s', 'vector(1)'], ['query_offset: 1s', 'vector(1) * 1']]) {
      const text = `groups:\n  - name: g\n    ${changed}\n    rules:\n      - {record: r, expr: '${expr}'}\n  - name: h\n    ${changed}\n    rules:\n      - {alert: A, expr: vector(1), for: 1m}\n`;
      const before = manager.ruleGroups();
      await update(manager, [ruleFile(text, 'rules.yml', join(file, '..'))]);
      const after = manager.ruleGroups();
      expect(after[0]).not.toBe(before[0]);
      if (expr === 'vector(1)') expect(after[1]!.rules[0]).not.toBe(before[1]!.rules[0]);
      else expect(after[1]).toBe(before[1]); // only the group whose expression changed is new
      expect(manager.alertingRules()[0]!.activeAlerts().map((a) => a.activeAt)).toEqual(alerts.map((a) => a.activeAt));
    }
    await manager.stop();
  });

  it('rejects a bad file naming it and the problem, and the old rules keep running', async () => {
    const { manager, clock, storage } = testManager();
    const good = ruleFile('groups:\n  - name: g\n    rules:\n      - {record: r, expr: vector(1)}\n');
    manager.start();
    await update(manager, [good]);
    await expect(update(manager, [fixtures('invalid_rules.yaml')])).rejects.toThrow(`${fixtures('invalid_rules.yaml')}: 6:9: field unexpected_field not found in type rulefmt.Rule`);
    await expect(update(manager, [good, ruleFile('groups:\n  - name: x\n    rules:\n      - {record: "a{", expr: "1"}\n')])).rejects.toThrow('braces present in the recording rule name');
    expect(manager.ruleGroups().map((g) => g.file)).toEqual([good]);
    await advance(clock, manager, 3 * SEC);
    expect((await samples(storage, 'r'))['{__name__="r"}']!.length).toBeGreaterThanOrEqual(2);
    await manager.stop();
  });

  it('adds and removes per-group metrics with the groups (upstream TestMetricsUpdate)', async () => {
    const { manager, registry } = testManager();
    const names = ['prometheus_rule_evaluations_total', 'prometheus_rule_evaluation_failures_total', 'prometheus_rule_group_interval_seconds', 'prometheus_rule_group_last_duration_seconds', 'prometheus_rule_group_last_evaluation_timestamp_seconds', 'prometheus_rule_group_rules'];
    const count = () => registry.collect().filter((f) => names.includes(f.name)).reduce((n, f) => n + f.metrics.length, 0);
    manager.start();
    const files = [fixtures('rules.yaml'), fixtures('rules2.yaml')];
    for (const [set, expected] of [[files, 12], [files.slice(0, 1), 6], [[], 0], [files.slice(1), 6]] as const) {
      await update(manager, [...set]);
      expect(count()).toBe(expected);
    }
    expect(metricValue(registry, 'prometheus_rule_group_rules', { rule_group: `${fixtures('rules2.yaml')};test_2` })).toBe(1);
    await manager.stop();
  });

  it('rules.yaml is matched by the glob rules.y*ml and reloading it keeps its group', async () => {
    const files = await expandGlob(join(conformanceDir('rules'), 'rules.y*ml'));
    expect(files).toEqual([fixtures('rules.yaml')]);
    const { manager } = testManager();
    await update(manager, files);
    const [group] = manager.ruleGroups();
    await update(manager, files);
    expect(manager.ruleGroups()[0]).toBe(group);
    await manager.stop();
  });

  it('a stopped manager ignores updates (upstream TestUpdateWhenStopped)', async () => {
    const { manager } = testManager();
    await manager.stop();
    await update(manager, [fixtures('rules.yaml')]);
    expect(manager.ruleGroups()).toEqual([]);
  });
});

describe('staleness when groups go away (shared/conformance/rules)', () => {
  const staleMarkers = async (storage: Awaited<ReturnType<typeof testManager>>['storage']) => (await samples(storage, 'test_2'))['{__name__="test_2"}']?.filter(([, v]) => v === 'stale').length ?? 0;

  it('dropping rules2.yaml writes one stale marker two intervals later; rules2_copy.yaml writes none (upstream TestGroupStalenessOnRemoval)', async () => {
    const { manager, clock, storage } = testManager();
    manager.start();
    const steps: [string[], number][] = [
      [[fixtures('rules2.yaml')], 0],
      [[], 1],
      [[fixtures('rules2_copy.yaml')], 0],
      [[], 1],
      [[fixtures('rules2_copy.yaml')], 0],
    ];
    let total = 0;
    for (const [files, stale] of steps) {
      await update(manager, files);
      await advance(clock, manager, 1500);
      const before = await staleMarkers(storage);
      await advance(clock, manager, 1500);
      total += stale;
      expect(await staleMarkers(storage)).toBe(total);
      if (stale > 0) expect(before).toBe(total - 1); // written only after two intervals
    }
    await manager.stop();
    expect(await staleMarkers(storage)).toBe(total);
  });

  it('stopping the manager within the two intervals writes none (upstream TestMetricsStalenessOnManagerShutdown)', async () => {
    const { manager, clock, storage } = testManager();
    manager.start();
    await update(manager, [fixtures('rules2.yaml')], 2 * SEC);
    await advance(clock, manager, 4 * SEC);
    await update(manager, []);
    await manager.stop();
    await advance(clock, manager, 10 * SEC);
    expect(await staleMarkers(storage)).toBe(0);
  });

  it('moving a rule to another group writes none (upstream TestRuleMovedBetweenGroups)', async () => {
    const { manager, clock, storage } = testManager();
    manager.start();
    await update(manager, [fixtures('rules2.yaml')]);
    await advance(clock, manager, 3 * SEC);
    await update(manager, [fixtures('rules1.yaml')]);
    await advance(clock, manager, 3 * SEC);
    expect(await staleMarkers(storage)).toBe(0);
    await manager.stop();
  });

  it('a rule removed from a changed group is marked stale at the group’s next round', async () => {
    const { manager, clock, storage } = testManager();
    const file = ruleFile('groups:\n  - name: g\n    rules:\n      - {record: kept, expr: vector(1)}\n      - {record: dropped, expr: vector(1)}\n');
    manager.start();
    await update(manager, [file]);
    await advance(clock, manager, 2 * SEC);
    await update(manager, [ruleFile('groups:\n  - name: g\n    rules:\n      - {record: kept, expr: vector(1)}\n', 'rules.yml', join(file, '..'))]);
    await advance(clock, manager, SEC);
    expect((await samples(storage, 'dropped'))['{__name__="dropped"}']!.at(-1)![1]).toBe('stale');
    await manager.stop();
  });
});
