import { compareUtf8, type Matcher } from '@pyrometer/model';
import { AlertingRule } from './alerting-rule.js';
import { concurrentEvaluation, sequentialEvaluation } from './concurrency.js';
import type { GroupContext } from './group-context.js';
import { GroupSchedule } from './group-schedule.js';
import type { Group, Rule } from './group.js';
import { buildGroups, type GroupsSpec } from './load-groups.js';
import { defaultRuleManagerOptions, type RequiredManagerOptions, type RuleManagerOptions } from './manager-options.js';
import { RuleMetrics } from './metrics.js';

/**
 * The rule manager (upstream's `rules.Manager`): holds the rule groups loaded from the rule files
 * and runs each on its own schedule once started. `update` applies a new set of files — unchanged
 * groups keep running untouched, changed ones take over their predecessor's alerts and series, and
 * removed ones mark their series stale — or, when any file is bad, rejects and leaves the running
 * groups as they were. Updates are applied one at a time.
 */
export class RuleManager {
  readonly options: RuleManagerOptions;
  private readonly context: GroupContext;
  private groups = new Map<string, GroupSchedule>();
  private readonly retiring = new Set<GroupSchedule>();
  private started = false;
  private stopped = false;
  /** True once a set of rules was applied: groups added later restore only with `restoreNewRuleGroups`. */
  private restored = false;
  private updating: Promise<unknown> = Promise.resolve();

  constructor(options: RequiredManagerOptions & Partial<RuleManagerOptions>) {
    this.options = { ...defaultRuleManagerOptions(), ...options };
    const o = this.options;
    this.context = {
      query: o.query,
      queryBatch: o.queryBatch,
      notify: o.notify,
      appendable: o.appendable,
      queryable: o.queryable,
      clock: o.clock,
      logger: o.logger.with({ component: 'rule manager' }),
      metrics: new RuleMetrics(o.registry),
      resendDelay: o.resendDelay,
      outageTolerance: o.outageTolerance,
      forGracePeriod: o.forGracePeriod,
      defaultQueryOffset: o.defaultQueryOffset,
      concurrency: o.concurrentEvals ? concurrentEvaluation(o.maxConcurrentEvals) : sequentialEvaluation(),
    };
  }

  /**
   * Builds the groups of `spec`'s files without running them (for promtool: evaluate them with
   * `evalGroup`). Groups restore their `for` state only if none were applied before (or with
   * `restoreNewRuleGroups`). Rejects with a `RulesError` naming every problem.
   */
  loadGroups(spec: GroupsSpec): Promise<Group[]> {
    return buildGroups({ ...spec, files: [...new Set(spec.files)] }, this.options, this.context, !this.restored || this.options.restoreNewRuleGroups);
  }

  /** Applies a new set of rule files (see the class comment): {@link loadGroups}, then {@link install}. */
  async update(spec: GroupsSpec): Promise<void> {
    await this.install(await this.loadGroups(spec));
  }

  /**
   * Makes `groups` (from {@link loadGroups} of this manager) the running set: unchanged groups keep
   * running, changed ones take over their predecessor's state, removed ones mark their series stale.
   * Installs run one at a time, in call order; a stopped manager ignores them. Loading first and
   * installing later lets a caller reject a whole configuration before anything changes.
   */
  install(groups: readonly Group[]): Promise<void> {
    const next = this.updating.then(() => this.apply(groups));
    this.updating = next.catch(() => {});
    return next;
  }

  /** Starts evaluating: every group on its schedule. Groups applied before start wait for it, so queries never hit storage that is still opening. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    for (const schedule of this.groups.values()) schedule.start();
  }

  /** Stops every group (letting rounds in progress finish) and drops pending staleness markers of removed groups. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.updating;
    await Promise.all([...this.groups.values(), ...this.retiring].map((s) => s.stop()));
    this.retiring.clear();
  }

  /** Resolves once no group is evaluating (for tests that drive a manual clock). */
  async idle(): Promise<void> {
    await this.updating;
    await Promise.all([...this.groups.values(), ...this.retiring].map((s) => s.idle()));
  }

  /** The groups, sorted by file, then name. */
  ruleGroups(): Group[] {
    return [...this.groups.values()].map((s) => s.group).sort((a, b) => compareUtf8(a.file, b.file) || compareUtf8(a.name, b.name));
  }

  /** Every rule, group by group; with matcher sets, only rules whose labels match all matchers of at least one set. */
  rules(matcherSets: readonly (readonly Matcher[])[] = []): Rule[] {
    return this.ruleGroups().flatMap((g) => g.rulesMatching(matcherSets));
  }

  /** Every alerting rule. */
  alertingRules(): AlertingRule[] {
    return this.rules().filter((r): r is AlertingRule => r instanceof AlertingRule);
  }

  private async apply(groups: readonly Group[]): Promise<void> {
    if (this.stopped) return;
    this.restored = true;
    const old = this.groups;
    const next = new Map<string, GroupSchedule>();
    const work: Promise<void>[] = [];
    for (const group of groups) {
      const previous = old.get(group.key);
      old.delete(group.key);
      if (previous !== undefined && previous.group.equals(group)) {
        next.set(group.key, previous);
        continue;
      }
      const schedule = new GroupSchedule(group);
      next.set(group.key, schedule);
      this.context.metrics.addGroup(group.key, group.rules.length, group.interval);
      work.push(
        (async () => {
          if (previous !== undefined) {
            await previous.stop();
            group.copyState(previous.group);
          }
          if (this.started) schedule.start();
        })(),
      );
    }
    for (const [key, schedule] of old) {
      work.push(
        (async () => {
          await schedule.stop();
          this.context.metrics.removeGroup(key);
          this.retiring.add(schedule);
          schedule.retire(() => this.retiring.delete(schedule));
        })(),
      );
    }
    this.groups = next;
    await Promise.all(work);
  }
}
