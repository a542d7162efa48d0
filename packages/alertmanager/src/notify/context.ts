import type { Labels } from '@pyrometer/model';
import type { NotificationClaim } from '../nflog/nflog.js';

/**
 * Everything the stages of one flush share (upstream keeps it in a `context.Context`): the group,
 * the receiver, the route's timers and intervals, the flush time and a signal that aborts the
 * flush when its time is up or the group stops. Dedup records the alert hashes it decided on in
 * `firing` / `resolved` and the claim it took in `claim` for the stages after it; each
 * integration works on its own copy.
 */
export interface NotifyContext {
  readonly groupKey: string;
  readonly groupLabels: Labels;
  readonly receiver: string;
  readonly routeId: string;
  /** ms */
  readonly repeatIntervalMs: number;
  readonly muteTimeIntervals: readonly string[];
  readonly activeTimeIntervals: readonly string[];
  /** When the flush started, ms since the epoch. */
  readonly now: number;
  readonly signal: AbortSignal;
  firing?: bigint[];
  resolved?: bigint[];
  claim?: NotificationClaim;
}
