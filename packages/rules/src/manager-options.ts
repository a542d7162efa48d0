import { systemClock, type Clock } from '@pyrometer/model';
import type { Appendable, Queryable } from '@pyrometer/storage';
import { MetricsRegistry, silentLogger, type Logger } from '@pyrometer/telemetry';
import type { NotifyFunc } from './group-context.js';
import type { BatchQueryFunc, QueryFunc } from './query-func.js';
import type { RuleFileOptions } from './rulefmt/rule-file.js';

/**
 * Everything a {@link RuleManager} works with. Durations in ms. `query`, `appendable` and
 * `queryable` are the only ways rules reach data: the PromQL engine (through `query`) and the
 * storage seam.
 */
export interface RuleManagerOptions {
  query: QueryFunc;
  /**
   * Evaluates several rule queries at one time in one go (e.g. one worker task instead of one per
   * rule); without it every rule's query goes through `query` on its own.
   */
  queryBatch?: BatchQueryFunc | undefined;
  appendable: Appendable;
  queryable: Queryable;
  /** Where alerts to send go; the default drops them (no Alertmanager configured). */
  notify: NotifyFunc;
  clock: Clock;
  logger: Logger;
  /** Where `prometheus_rule_*` metrics are registered (a private registry by default). */
  registry: MetricsRegistry;
  /** `--rules.alert.resend-delay` (1m). */
  resendDelay: number;
  /** `--rules.alert.for-outage-tolerance` (1h). */
  outageTolerance: number;
  /** `--rules.alert.for-grace-period` (10m). */
  forGracePeriod: number;
  /** `global.rule_query_offset`, read whenever a group without its own offset evaluates (0). */
  defaultQueryOffset: () => number;
  /** Evaluate independent rules of a group concurrently (`--enable-feature=concurrent-rule-eval`). */
  concurrentEvals: boolean;
  /** `--rules.max-concurrent-rule-evals` (4): concurrent evaluations across all groups. */
  maxConcurrentEvals: number;
  /** Also restore the `for` state of groups added by a reload, not only of those loaded at start. */
  restoreNewRuleGroups: boolean;
  /** How rule files are read (name validation, PromQL features). */
  ruleFiles: RuleFileOptions;
}

/** The options a caller must give: the data seams. */
export type RequiredManagerOptions = Pick<RuleManagerOptions, 'query' | 'appendable' | 'queryable'>;

/** Upstream's defaults for everything but the data seams (a fresh registry and the system clock). */
export function defaultRuleManagerOptions(): Omit<RuleManagerOptions, keyof RequiredManagerOptions> {
  return {
    notify: () => {},
    clock: systemClock(),
    logger: silentLogger(),
    registry: new MetricsRegistry(),
    resendDelay: 60_000,
    outageTolerance: 3_600_000,
    forGracePeriod: 600_000,
    defaultQueryOffset: () => 0,
    concurrentEvals: false,
    maxConcurrentEvals: 4,
    restoreNewRuleGroups: false,
    ruleFiles: {},
  };
}
