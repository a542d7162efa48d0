import type { Logger } from '@pyrometer/telemetry';
import type { Alert } from '../alerts/alert.js';
import type { Marker } from '../alerts/marker.js';
import { sleep, type Clock } from '../clock.js';
import type { NotificationLog } from '../nflog/nflog.js';
import type { TimeInterval } from '../time/time-interval.js';
import type { NotifyContext } from './context.js';
import { DedupStage, HoldClaimStage, RetryStage, SetNotifiesStage } from './integration-stages.js';
import type { NotifyMetrics } from './metrics.js';
import type { Integration } from './notifier.js';
import { FanoutStage, MultiStage, MuteStage, TimeIntervalStage, type Muter, type Stage } from './stages.js';

export interface PipelineOptions {
  /** Each receiver's integrations, by receiver name. */
  receivers: ReadonlyMap<string, readonly Integration[]>;
  inhibitor: Muter;
  silencer: Muter;
  timeIntervals: ReadonlyMap<string, readonly TimeInterval[]>;
  marker: Marker;
  nflog: NotificationLog;
  metrics: NotifyMetrics;
  clock: Clock;
  logger: Logger;
  /**
   * How long to wait before each integration's dedup check (upstream: peer position × peer
   * timeout, so replicas notify one after another and see each other's log). 0 when alone.
   */
  wait: () => number;
  /** Jitter source of retry backoff; tests pass a constant. */
  random: () => number;
}

/** Waits {@link PipelineOptions.wait} before an integration's turn (upstream's `WaitStage`). */
class WaitStage implements Stage {
  constructor(private readonly wait: () => number, private readonly clock: Clock) {}

  async exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<readonly Alert[]> {
    const ms = this.wait();
    if (ms > 0) await sleep(this.clock, ms, ctx.signal);
    return alerts;
  }
}

/**
 * The notification pipeline (`PipelineBuilder.New`): for the receiver named in the context,
 * inhibition, active and mute time intervals, silences, then for every integration in
 * parallel: wait, dedup against the notification log and claim the notification, send with
 * retries under the claim, log the notification.
 */
export function buildPipeline(o: PipelineOptions): Stage {
  const byReceiver = new Map<string, Stage>();
  for (const [name, integrations] of o.receivers) {
    const fanout = new FanoutStage(
      integrations.map((integration) => {
        const recv = { groupName: name, integration: integration.type, idx: integration.index };
        return new MultiStage([
          new WaitStage(o.wait, o.clock),
          new DedupStage(integration, o.nflog, recv, o.clock),
          new HoldClaimStage(new RetryStage(integration, o.metrics, o.clock, o.logger, o.random)),
          new SetNotifiesStage(o.logger),
        ]);
      }),
    );
    byReceiver.set(
      name,
      new MultiStage([
        new MuteStage(o.inhibitor, 'inhibition', o.metrics, o.logger),
        new TimeIntervalStage('active', o.timeIntervals, o.marker, o.metrics, o.logger),
        new TimeIntervalStage('mute', o.timeIntervals, o.marker, o.metrics, o.logger),
        new MuteStage(o.silencer, 'silence', o.metrics, o.logger),
        fanout,
      ]),
    );
  }
  return {
    exec(ctx, alerts) {
      const stage = byReceiver.get(ctx.receiver);
      if (stage === undefined) return Promise.reject(new Error(`stage for receiver ${JSON.stringify(ctx.receiver)} missing`));
      return stage.exec(ctx, alerts);
    },
  };
}
