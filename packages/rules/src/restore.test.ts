import { join } from 'node:path';
import { conformanceDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import type { AlertingRule } from './alerting-rule.js';
import { evalGroup } from './group-eval.js';
import type { Group } from './group.js';
import { restoreForState } from './restore.js';
import { load, ruleFile, testManager } from './test-harness.js';

const MIN = 60_000;
const FOR = 25 * MIN;

describe.each([0, MIN])('restoreForState with query offset %d (upstream TestForStateRestore)', (queryOffset) => {
  async function setup() {
    const h = testManager({ outageTolerance: 30 * MIN, forGracePeriod: 10 * MIN });
    await load(
      h.storage,
      {
        'http_requests{job="app-server", instance="0", group="canary", severity="overwrite-me"}': '75  85 50 0 0 25 0 0 40 0 120',
        'http_requests{job="app-server", instance="1", group="canary", severity="overwrite-me"}': '125 90 60 0 0 25 0 0 40 0 130',
      },
      5 * MIN,
    );
    const rules = (offset: number) =>
      ruleFile(`groups:\n  - name: default\n    interval: 1s\n    query_offset: ${offset / 1000}s\n    rules:\n      - alert: HTTPRequestRateLow\n        expr: http_requests{group="canary", job="app-server"} < 100\n        for: 25m\n        labels: {severity: critical}\n`);
    const fresh = async (file: string): Promise<[Group, AlertingRule]> => {
      const [g] = await h.manager.loadGroups({ files: [file], interval: MIN, externalLabels: {}, externalURL: '' });
      return [g!, g!.rules[0] as AlertingRule];
    };
    // Before the restart (without a query offset): evaluated at 0 and 5m, restored, so ALERTS_FOR_STATE is written.
    const [before, oldRule] = await fresh(rules(0));
    oldRule.restored = true;
    for (const m of [0, 5]) await evalGroup(before, m * MIN);
    /** After the restart (with the query offset): a new group, one evaluation, then restoration, at `restoreAt`. */
    const restart = async (restoreAt: number) => {
      const [after, rule] = await fresh(rules(queryOffset));
      expect(rule.restored).toBe(false);
      await evalGroup(after, restoreAt);
      await restoreForState(after, restoreAt);
      expect(rule.restored).toBe(true);
      for (const a of rule.activeAlerts()) expect(a.labels.has('__name__')).toBe(false);
      return rule.activeAlerts().sort((a, b) => a.labels.get('instance').localeCompare(b.labels.get('instance')));
    };
    return { before, oldRule, restart };
  }

  it('credits the time already spent pending, shifted by the downtime', async () => {
    const { oldRule, restart } = await setup();
    const expected = oldRule.activeAlerts().sort((a, b) => a.labels.get('instance').localeCompare(b.labels.get('instance')));
    const got = await restart(15 * MIN + queryOffset);
    expect(got.map((a) => a.labels.toString())).toEqual(expected.map((a) => a.labels.toString()));
    // Last sample at 5m, restored at 15m: 10 minutes down.
    expect(got.map((a) => a.activeAt)).toEqual(expected.map((a) => Math.trunc(a.activeAt / 1000) * 1000 + 10 * MIN + queryOffset));
  });

  it('restores nothing beyond the outage tolerance', async () => {
    const { restart } = await setup();
    const at = 40 * MIN + queryOffset;
    expect((await restart(at)).map((a) => a.activeAt)).toEqual([at, at]);
  });

  it('restores nothing when no alert is active', async () => {
    const { restart } = await setup();
    expect(await restart(50 * MIN + queryOffset)).toEqual([]);
  });

  it('never lets an alert fire sooner than the grace period after the restart', async () => {
    const { before, restart } = await setup();
    for (const m of [10, 15, 20]) await evalGroup(before, m * MIN);
    const at = 25 * MIN + queryOffset;
    const got = await restart(at);
    expect(got).toHaveLength(2);
    for (const a of got) expect(a.activeAt + FOR - at).toBe(10 * MIN);
  });
});

describe('restoration by the manager (shared/conformance/rules alert_rule.yaml, alert_rule1.yaml)', () => {
  const fixture = (name: string) => join(conformanceDir('rules'), name);

  it.each([
    { option: false, restoredNew: false },
    { option: true, restoredNew: true },
  ])('groups loaded at start restore; a group added by a reload restores only with restoreNewRuleGroups=$option (upstream TestNewRuleGroupRestoration)', async ({ option, restoredNew }) => {
    const { manager } = testManager({ restoreNewRuleGroups: option });
    const spec = (files: string[]) => ({ files, interval: 1000, externalLabels: {}, externalURL: '' });
    await manager.update(spec([fixture('alert_rule.yaml')]));
    expect(manager.ruleGroups().map((g) => [g.name, g.shouldRestore])).toEqual([['test', true]]);
    await manager.update(spec([fixture('alert_rule.yaml'), fixture('alert_rule1.yaml')]));
    expect(manager.ruleGroups().map((g) => [g.name, g.shouldRestore])).toEqual([
      ['test', true],
      ['test2', restoredNew],
    ]);
    expect((manager.ruleGroups()[1]!.rules[0] as AlertingRule).restored).toBe(!restoredNew);
    await manager.stop();
  });
});
