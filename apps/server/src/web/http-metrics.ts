import type { TargetListener } from '@pyrometer/http-server';
import type { MetricsRegistry } from '@pyrometer/telemetry';

/**
 * Wraps a request listener with upstream's HTTP self-metrics: `prometheus_http_requests_total`
 * {handler, code} and `prometheus_http_request_duration_seconds` {handler}. The handler label is
 * the route pattern (`/api/v1/query`), so label values stay bounded; unknown paths count as "other".
 */
export function instrumentHandler(registry: MetricsRegistry, handlerOf: (path: string) => string, listener: TargetListener): TargetListener {
  const requests = registry.counter({ name: 'prometheus_http_requests_total', help: 'Counter of HTTP requests.', labelNames: ['handler', 'code'] });
  const duration = registry.histogram({ name: 'prometheus_http_request_duration_seconds', help: 'Histogram of latencies for HTTP requests.', labelNames: ['handler'], buckets: [0.1, 0.2, 0.4, 1, 3, 8, 20, 60, 120] });
  return (req, res, target) => {
    const handler = handlerOf(target.path);
    const stop = duration.labels(handler).startTimer();
    res.once('finish', () => {
      stop();
      requests.labels(handler, String(res.statusCode)).inc();
    });
    return listener(req, res, target);
  };
}

/**
 * Limits how many queries run at once (`--query.max-concurrency`); further queries wait in
 * arrival order. `run` resolves or rejects with the task's outcome.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
