import { access } from 'node:fs/promises';
import { expandGlob, type Config } from '@pyrometer/config';
import { Labels } from '@pyrometer/model';
import type { RuleAlert } from '@pyrometer/notifier';
import { batchQueryFuncOf, queryFuncOf, RuleManager, type Group, type NotifyFunc } from '@pyrometer/rules';
import type { Logger, MetricsRegistry } from '@pyrometer/telemetry';
import type { Tsdb } from '@pyrometer/tsdb';
import type { ServerOptions } from './flags.js';
import type { QueryService } from './query/query-service.js';

/** What the server's rule manager is built from. */
export interface RuleManagerDeps {
  options: ServerOptions;
  tsdb: Tsdb;
  /** Where rule queries are evaluated: the query workers, ahead of waiting HTTP queries. */
  queryService: QueryService;
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
}

/**
 * The rule manager over the TSDB: rules query through the query workers' service (never on the
 * ingestion thread; a run of rules that do not read each other's output in one task) and write
 * through the storage seam, with the server's rule flags and PromQL features.
 */
export function createRuleManager(deps: RuleManagerDeps): RuleManager {
  const { options, tsdb, queryService } = deps;
  const features = options.features;
  return new RuleManager({
    query: queryFuncOf(async (query, t, { signal }) => (await queryService.instantQuery(query, t, signal === undefined ? {} : { signal })).value),
    // A run of rules that do not read each other is one worker task, not one task per rule.
    queryBatch: batchQueryFuncOf((queries, t, { signal }) => queryService.instantQueries(queries, t, signal === undefined ? {} : { signal })),
    appendable: tsdb,
    queryable: tsdb,
    notify: deps.notify,
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
      parser: {
        enableExperimentalFunctions: features.has('promql-experimental-functions'),
        enableExperimentalDurationExpr: features.has('promql-duration-expr'),
        enableExtendedRangeSelectors: features.has('promql-extended-range-selectors'),
      },
    },
  });
}

/**
 * Reads and builds the groups of `config`'s `rule_files`, for `manager.install`. Patterns are globs
 * in their last path element; as upstream, a pattern matching no file adds nothing (logged here).
 * Rejects, naming every problem, when a rule file is bad; nothing runs or changes until installed.
 */
export async function loadRuleGroups(manager: RuleManager, config: Config, externalURL: string, logger: Logger): Promise<Group[]> {
  const files: string[] = [];
  for (const pattern of config.ruleFiles) {
    const matches = await existing(await expandGlob(pattern));
    if (matches.length === 0) logger.warn('rule_files pattern matches no file', { pattern });
    files.push(...matches);
  }
  return manager.loadGroups({ files, interval: config.global.evaluationInterval, externalLabels: config.global.externalLabels, externalURL });
}

/**
 * The rule manager's notify function over the notifier's (`Alerting.notifyFunc`): the rule
 * manager's alerts in the shape upstream's `sendAlerts` reads, unset times as 0.
 */
export function notifyVia(send: (expr: string, alerts: readonly RuleAlert[]) => void): NotifyFunc {
  return (expr, alerts) =>
    send(
      expr,
      alerts.map((a) => ({ labels: a.labels, annotations: Labels.from(a.annotations), firedAt: a.firedAt ?? 0, resolvedAt: a.resolvedAt ?? 0, validUntil: a.validUntil ?? 0 })),
    );
}

async function existing(paths: string[]): Promise<string[]> {
  const found = await Promise.all(paths.map((p) => access(p).then(() => true, () => false)));
  return paths.filter((_, i) => found[i]);
}
