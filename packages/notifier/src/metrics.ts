import { Labels } from '@pyrometer/model';
import type { Collector, Counter, Histogram, MetricsRegistry } from '@pyrometer/telemetry';

/** How long an observation counts towards the latency quantiles (client_golang's default MaxAge). */
const QUANTILE_WINDOW_MS = 10 * 60_000;
/** At most this many recent observations per Alertmanager are kept for quantiles. */
const QUANTILE_SAMPLES = 1024;
const QUANTILES = [0.5, 0.9, 0.99];

/**
 * Upstream's `prometheus_notifications_*` self-metrics. Per-Alertmanager series (label
 * `alertmanager` = its URL) start at zero when an Alertmanager is discovered and are removed when it
 * goes away, as upstream does.
 */
export class NotifierMetrics {
  readonly errors: Counter;
  readonly sent: Counter;
  readonly dropped: Counter;
  private readonly latency: LatencySummary;
  private readonly latencyHistogram: Histogram;

  constructor(registry: MetricsRegistry, queueCapacity: number, queueLength: () => number, discovered: () => number, now: () => number) {
    this.latency = new LatencySummary(now);
    registry.register(this.latency);
    this.latencyHistogram = registry.histogram({ name: 'prometheus_notifications_latency_histogram_seconds', help: 'Latency histogram for sending alert notifications.', labelNames: ['alertmanager'], buckets: [0.01, 0.1, 1, 10] });
    this.errors = registry.counter({ name: 'prometheus_notifications_errors_total', help: 'Total number of sent alerts affected by errors.', labelNames: ['alertmanager'] });
    this.sent = registry.counter({ name: 'prometheus_notifications_sent_total', help: 'Total number of alerts sent.', labelNames: ['alertmanager'] });
    this.dropped = registry.counter({ name: 'prometheus_notifications_dropped_total', help: 'Total number of alerts dropped due to errors when sending to Alertmanager.' });
    this.dropped.inc(0);
    registry.gaugeFunc({ name: 'prometheus_notifications_queue_length', help: 'The number of alert notifications in the queue.' }, queueLength);
    registry.gauge({ name: 'prometheus_notifications_queue_capacity', help: 'The capacity of the alert notifications queue.' }).set(queueCapacity);
    registry.gaugeFunc({ name: 'prometheus_notifications_alertmanagers_discovered', help: 'The number of alertmanagers discovered and active.' }, discovered);
  }

  /** Records how long one request to `url` took, in seconds. */
  observeLatency(url: string, seconds: number): void {
    this.latency.observe(url, seconds);
    this.latencyHistogram.labels(url).observe(seconds);
  }

  /** Starts the per-Alertmanager counters at zero. */
  track(url: string): void {
    this.sent.labels(url);
    this.errors.labels(url);
  }

  /** Removes every per-Alertmanager series of `url`. */
  forget(url: string): void {
    this.sent.remove(url);
    this.errors.remove(url);
    this.latency.remove(url);
    this.latencyHistogram.remove(url);
  }
}

interface LatencyState {
  count: number;
  sum: number;
  /** Recent observations as [time ms, seconds], oldest first. */
  recent: [number, number][];
}

/**
 * `prometheus_notifications_latency_seconds`, a summary per Alertmanager with the 0.5, 0.9 and
 * 0.99 quantiles over the last ten minutes. Quantiles are exact over the most recent
 * {@link QUANTILE_SAMPLES} observations in that window (client_golang estimates them over the
 * same window); NaN when the window is empty, as client_golang reports.
 */
class LatencySummary implements Collector {
  private readonly byUrl = new Map<string, LatencyState>();

  constructor(private readonly now: () => number) {}

  observe(url: string, seconds: number): void {
    let state = this.byUrl.get(url);
    if (state === undefined) this.byUrl.set(url, (state = { count: 0, sum: 0, recent: [] }));
    state.count++;
    state.sum += seconds;
    state.recent.push([this.now(), seconds]);
    if (state.recent.length > QUANTILE_SAMPLES) state.recent.shift();
  }

  remove(url: string): void {
    this.byUrl.delete(url);
  }

  collect(): ReturnType<Collector['collect']> {
    const horizon = this.now() - QUANTILE_WINDOW_MS;
    const metrics = [...this.byUrl].map(([url, state]) => {
      while (state.recent.length > 0 && state.recent[0]![0] < horizon) state.recent.shift();
      const sorted = state.recent.map(([, v]) => v).sort((a, b) => a - b);
      const quantiles = QUANTILES.map((q) => ({ quantile: q, value: sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! }));
      return { labels: Labels.from({ alertmanager: url }), summary: { sampleCount: state.count, sampleSum: state.sum, quantiles } };
    });
    return [{ name: 'prometheus_notifications_latency_seconds', help: 'Latency quantiles for sending alert notifications.', type: 'summary', metrics }];
  }
}
