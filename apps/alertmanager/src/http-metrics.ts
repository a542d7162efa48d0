import type { ServerResponse } from 'node:http';
import { Labels } from '@pyrometer/model';
import type { MetricsRegistry } from '@pyrometer/telemetry';

const METHOD_GET = Labels.from({ method: 'get' });

/** Upstream's HTTP instrumentation: duration and response size per handler, and GETs in flight. */
export class HttpMetrics {
  private readonly duration;
  private readonly size;
  private inFlight = 0;

  constructor(registry: MetricsRegistry) {
    this.duration = registry.histogram({ name: 'alertmanager_http_request_duration_seconds', help: 'Histogram of latencies for HTTP requests.', labelNames: ['handler', 'method'], buckets: [0.05, 0.1, 0.25, 0.5, 0.75, 1, 2, 5, 20, 60] });
    this.size = registry.histogram({ name: 'alertmanager_http_response_size_bytes', help: 'Histogram of response size for HTTP requests.', labelNames: ['handler', 'method'], buckets: [100, 1000, 10000, 100000, 1e6, 1e7, 1e8] });
    registry.register({ collect: () => [{ name: 'alertmanager_http_requests_in_flight', help: 'Current number of HTTP requests being processed.', type: 'gauge', metrics: [{ labels: METHOD_GET, value: this.inFlight }] }] });
  }

  /**
   * Measures one request handled by `handler` (a route such as `/-/healthy`): its duration and the
   * size of the body it ends with (every handler here sends its body in one `end` call).
   */
  track(handler: string, method: string, res: ServerResponse): void {
    const started = performance.now();
    const get = method === 'GET';
    if (get) this.inFlight++;
    let bytes = 0;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      const chunk = args[0];
      bytes = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk instanceof Uint8Array ? chunk.length : 0;
      return end(...args);
    }) as typeof res.end;
    res.once('close', () => {
      if (get) this.inFlight--;
      const m = method.toLowerCase();
      this.duration.labels(handler, m).observe((performance.now() - started) / 1000);
      this.size.labels(handler, m).observe(bytes);
    });
  }
}
