import type { Clock } from '@pyrometer/model';
import type { Appendable, Queryable } from '@pyrometer/storage';
import type { Logger } from '@pyrometer/telemetry';
import type { Alert } from './alert.js';
import type { EvalConcurrency } from './concurrency.js';
import type { RuleMetrics } from './metrics.js';
import type { BatchQueryFunc, QueryFunc } from './query-func.js';

/**
 * Sends alerts that need sending (upstream's `rules.NotifyFunc`): called after an alerting rule's
 * evaluation with copies of its firing alerts due for (re)sending and its alerts resolved since
 * they were last sent, never with an empty list. `expr` is the rule's expression (for the
 * generator URL). Must not throw and should not block: queue and return.
 */
export type NotifyFunc = (expr: string, alerts: readonly Alert[]) => void;

/** What every group of a manager shares. Durations in ms. */
export interface GroupContext {
  readonly query: QueryFunc;
  /** When set, the queries of consecutive rules that do not read each other's output run as one batch (see `prefetch.ts`). */
  readonly queryBatch?: BatchQueryFunc | undefined;
  readonly notify: NotifyFunc;
  /** Where rule output, ALERTS and staleness markers are written. */
  readonly appendable: Appendable;
  /** Where `ALERTS_FOR_STATE` is read back to restore alerts' `for` state. */
  readonly queryable: Queryable;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: RuleMetrics;
  /** Minimum time between two sends of the same firing alert (`--rules.alert.resend-delay`). */
  readonly resendDelay: number;
  /** How far back `ALERTS_FOR_STATE` is looked for when restoring (`--rules.alert.for-outage-tolerance`). */
  readonly outageTolerance: number;
  /** Least time a restored alert still waits before firing (`--rules.alert.for-grace-period`). */
  readonly forGracePeriod: number;
  /** The query offset of groups that set none (`global.rule_query_offset`), read at each use. */
  readonly defaultQueryOffset: () => number;
  readonly concurrency: EvalConcurrency;
}
