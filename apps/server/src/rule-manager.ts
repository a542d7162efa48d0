import { access } from 'node:fs/promises';
import { expandGlob, type Config } from '@pyrometer/config';
import type { Engine } from '@pyrometer/promql';
import { engineQueryFunc, RuleManager, type AlertTemplateExpander, type NotifyFunc } from '@pyrometer/rules';
import type { Logger, MetricsRegistry } from '@pyrometer/telemetry';
import type { Tsdb } from '@pyrometer/tsdb';
import type { ServerOptions } from './flags.js';

/** What the server's rule manager is built from. */
export interface RuleManagerDeps {
  options: ServerOptions;
  tsdb: Tsdb;
  engine: Engine;
  registry: MetricsRegistry;
  logger: Logger;
  /** The configuration in force, read whenever a group needs the global rule query offset. */
  config: () => Config;
  /**
   * Where alerts to send go: the seam the notifier (`packages/notifier`) connects to. It receives
   * the rule's expression and the alerts due (firing ones per resend delay, resolved ones), never
   * an empty list, and must only queue.
   */
  notify: NotifyFunc;
  expandTemplate: AlertTemplateExpander;
}

/**
 * The rule manager over the TSDB: rules query through the PromQL engine and write through the
 * storage seam, with the server's rule flags and PromQL features.
 */
export function createRuleManager(deps: RuleManagerDeps): RuleManager {
  const { options, tsdb, engine } = deps;
  const experimental = engine.options.experimental;
  return new RuleManager({
    query: engineQueryFunc(engine, tsdb),
    appendable: tsdb,
    queryable: tsdb,
    notify: deps.notify,
    expandTemplate: deps.expandTemplate,
    logger: deps.logger,
    registry: deps.registry,
    resendDelay: options.ruleResendDelay,
    outageTolerance: options.ruleForOutageTolerance,
    forGracePeriod: options.ruleForGracePeriod,
    defaultQueryOffset: () => deps.config().global.ruleQueryOffset,
    concurrentEvals: options.features.has('concurrent-rule-eval'),
    maxConcurrentEvals: options.ruleMaxConcurrentEvals,
    ruleFiles: {
      nameValidation: deps.config().global.metricNameValidationScheme,
      parser: { enableExperimentalFunctions: experimental.functions, enableExperimentalDurationExpr: experimental.durationExpr, enableExtendedRangeSelectors: experimental.extendedRangeSelectors },
    },
  });
}

/**
 * Applies `config`'s `rule_files` to the manager. Patterns are globs in their last path element; as
 * upstream, a pattern matching no file adds nothing (logged here). Rejects, leaving the running
 * rules as they were, when a rule file is bad.
 */
export async function applyRuleFiles(manager: RuleManager, config: Config, externalURL: string, logger: Logger): Promise<void> {
  const files: string[] = [];
  for (const pattern of config.ruleFiles) {
    const matches = await existing(await expandGlob(pattern));
    if (matches.length === 0) logger.warn('rule_files pattern matches no file', { pattern });
    files.push(...matches);
  }
  await manager.update({ files, interval: config.global.evaluationInterval, externalLabels: config.global.externalLabels, externalURL });
}

async function existing(paths: string[]): Promise<string[]> {
  const found = await Promise.all(paths.map((p) => access(p).then(() => true, () => false)));
  return paths.filter((_, i) => found[i]);
}
