import type { Counter, Histogram, MetricsRegistry } from '@pyrometer/telemetry';
import { INTEGRATION_TYPES } from '../config/receivers/receiver.js';
import type { FailureReason } from './notifier.js';

/** Why alerts were not sent (`alertmanager_notifications_suppressed_total{reason}`). */
export type SuppressionReason = 'silence' | 'inhibition' | 'mute_time_interval' | 'active_time_interval';

const REASONS: FailureReason[] = ['other', 'clientError', 'serverError', 'contextCanceled', 'contextDeadlineExceeded'];

/** The pipeline's `alertmanager_notification*` metrics, with every integration's series present from the start. */
export class NotifyMetrics {
  readonly notifications: Counter;
  readonly failed: Counter;
  readonly requests: Counter;
  readonly requestsFailed: Counter;
  readonly suppressed: Counter;
  readonly latency: Histogram;

  constructor(registry: MetricsRegistry) {
    this.notifications = registry.counter({ name: 'alertmanager_notifications_total', help: 'The total number of attempted notifications.', labelNames: ['integration'] });
    this.failed = registry.counter({ name: 'alertmanager_notifications_failed_total', help: 'The total number of failed notifications.', labelNames: ['integration', 'reason'] });
    this.requests = registry.counter({ name: 'alertmanager_notification_requests_total', help: 'The total number of attempted notification requests.', labelNames: ['integration'] });
    this.requestsFailed = registry.counter({ name: 'alertmanager_notification_requests_failed_total', help: 'The total number of failed notification requests.', labelNames: ['integration'] });
    this.suppressed = registry.counter({
      name: 'alertmanager_notifications_suppressed_total',
      help: 'The total number of notifications suppressed for being silenced, inhibited, outside of active time intervals or within muted time intervals.',
      labelNames: ['reason'],
    });
    this.latency = registry.histogram({ name: 'alertmanager_notification_latency_seconds', help: 'The latency of notifications in seconds.', labelNames: ['integration'], buckets: [1, 5, 10, 15, 20] });
    for (const type of INTEGRATION_TYPES) {
      this.notifications.labels(type);
      this.requests.labels(type);
      this.requestsFailed.labels(type);
      this.latency.labels(type);
      for (const r of REASONS) this.failed.labels(type, r);
    }
  }
}
