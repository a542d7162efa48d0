import { defaultParserOptions, parseExpr } from '@pyrometer/promql/parser';
import type { Logger } from '@pyrometer/telemetry';
import { AlertingRule } from './alerting-rule.js';
import { analyseDependencies } from './dependencies.js';
import { RulesError } from './errors.js';
import type { GroupContext } from './group-context.js';
import { Group, type Rule } from './group.js';
import type { RuleManagerOptions } from './manager-options.js';
import { RecordingRule } from './recording-rule.js';
import { loadRuleFile, type RuleGroupConfig } from './rulefmt/rule-file.js';
import { slotOffset } from './slot.js';

/** What a set of rule groups is built from. Durations in ms. */
export interface GroupsSpec {
  /** Rule files (globs already expanded), read in order. */
  files: readonly string[];
  /** The interval of groups that set none (`global.evaluation_interval`). */
  interval: number;
  /** `$externalLabels` of alert templates. */
  externalLabels: Readonly<Record<string, string>>;
  /** `$externalURL` of alert templates. */
  externalURL: string;
  /** promtool's `--ignore-unknown-fields`. */
  ignoreUnknownFields?: boolean;
}

/**
 * Reads the rule files and builds their groups (upstream's `Manager.LoadGroups`), keyed by
 * `file;name`, in file order. Rejects with a `RulesError` (code `invalid`, or the only problem's
 * code) listing every problem of every file when any file is bad; nothing is built then.
 */
export async function buildGroups(spec: GroupsSpec, options: RuleManagerOptions, context: GroupContext, shouldRestore: boolean): Promise<Group[]> {
  const fileOptions = { ...options.ruleFiles, ignoreUnknownFields: spec.ignoreUnknownFields ?? false };
  const loaded = await Promise.all(spec.files.map((file) => loadRuleFile(file, fileOptions)));
  const problems = loaded.flatMap((l) => l.errors);
  if (problems.length > 0) {
    const code = problems.length === 1 ? problems[0]!.code : 'invalid';
    throw new RulesError(code, problems.map((p) => p.message).join('\n'), {}, { cause: problems });
  }
  const groups: Group[] = [];
  for (const [i, file] of spec.files.entries()) {
    for (const config of loaded[i]!.groups) {
      const interval = config.interval || spec.interval;
      const rules = buildRules(config, spec, options, !shouldRestore, context.logger.with({ file, group: config.name }));
      analyseDependencies(rules);
      groups.push(
        new Group(
          { name: config.name, file, interval, queryOffset: config.queryOffset, limit: config.limit, rules, shouldRestore, slotOffset: await slotOffset(file, config.name, interval) },
          context,
        ),
      );
    }
  }
  return groups;
}

function buildRules(config: RuleGroupConfig, spec: GroupsSpec, options: RuleManagerOptions, restored: boolean, logger: Logger): Rule[] {
  const parserOptions = { ...defaultParserOptions(), ...options.ruleFiles.parser };
  return config.rules.map((r) => {
    const expr = parseExpr(r.expr, parserOptions);
    const labels = { ...config.labels, ...r.labels };
    if (r.record !== '') return new RecordingRule(r.record, expr, labels);
    return new AlertingRule({
      name: r.alert,
      expr,
      holdDuration: r.for,
      keepFiringFor: r.keepFiringFor,
      labels,
      annotations: r.annotations,
      externalLabels: spec.externalLabels,
      externalURL: spec.externalURL,
      restored,
      logger,
    });
  });
}
