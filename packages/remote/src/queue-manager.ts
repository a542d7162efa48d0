import { snappyEncode } from '@pyrometer/codec';
import { Labels } from '@pyrometer/model';
import type { Logger, MetricsRegistry } from '@pyrometer/telemetry';
import { encodeWriteRequest, type RemoteSeries } from './prompb.js';

/** Sending settings of one remote_write destination (upstream's queue_config, in ms). */
export interface QueueOptions {
  url: string;
  /** Name used in metrics and logs (remote_write `name`, or the URL). */
  name: string;
  timeoutMs: number;
  /** Extra request headers (remote_write `headers`, auth). */
  headers: Record<string, string>;
  /** Samples buffered before the oldest are dropped. */
  capacity: number;
  maxSamplesPerSend: number;
  /** A partial batch is sent after this long. */
  batchSendDeadlineMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  retryOnHttp429: boolean;
  userAgent: string;
}

interface Pending {
  labels: Labels;
  t: number;
  v: number;
  stale: boolean;
}

/** Figures of a queue, for its self-metrics and tests. */
export interface QueueStats {
  sent: number;
  failed: number;
  retried: number;
  dropped: number;
  highestSentTimestampMs: number;
}

/**
 * Sends samples to one remote_write endpoint: batches of up to `maxSamplesPerSend` (or whatever
 * arrived within `batchSendDeadlineMs`), snappy-compressed protobuf WriteRequests, one request in
 * flight. 5xx answers, network errors and — with `retryOnHttp429` — 429 are retried with
 * exponential backoff from `minBackoffMs` to `maxBackoffMs` (a `Retry-After` header wins); other
 * 4xx answers drop the batch, as upstream does. Beyond `capacity` the oldest samples are dropped.
 */
export class QueueManager {
  readonly stats: QueueStats = { sent: 0, failed: 0, retried: 0, dropped: 0, highestSentTimestampMs: 0 };
  private buffer: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(readonly options: QueueOptions, private readonly logger: Logger) {}

  /** Queues one sample (labels already relabeled and carrying the external labels). */
  enqueue(labels: Labels, t: number, v: number, stale: boolean): void {
    if (this.stopped) return;
    if (this.buffer.length >= this.options.capacity) {
      this.buffer.shift();
      this.stats.dropped++;
    }
    this.buffer.push({ labels, t, v, stale });
    if (this.buffer.length >= this.options.maxSamplesPerSend) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.options.batchSendDeadlineMs);
  }

  /** Samples waiting to be sent. */
  pending(): number {
    return this.buffer.length;
  }

  /** Sends everything buffered now and resolves when the queue is empty (or stopped). */
  async flush(): Promise<void> {
    while ((this.buffer.length > 0 || this.sending !== undefined) && !this.stopped) {
      if (this.sending === undefined) this.kick();
      await this.sending;
    }
  }

  /** Tries to send what is buffered (for up to `timeoutMs`), then stops; later samples are ignored. */
  async stop(timeoutMs = 5_000): Promise<void> {
    await Promise.race([this.flush(), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    this.stopped = true;
    this.wake?.();
    if (this.timer) clearTimeout(this.timer);
    await this.sending;
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.sending ??= this.drain().finally(() => {
      this.sending = undefined;
      if (this.buffer.length > 0 && !this.stopped) this.timer ??= setTimeout(() => this.kick(), this.options.batchSendDeadlineMs);
    });
  }

  private async drain(): Promise<void> {
    while (this.buffer.length > 0 && !this.stopped) {
      const batch = this.buffer.splice(0, this.options.maxSamplesPerSend);
      await this.sendWithRetries(batch);
      if (this.buffer.length < this.options.maxSamplesPerSend) return;
    }
  }

  private async sendWithRetries(batch: Pending[]): Promise<void> {
    const body = snappyEncode(encodeWriteRequest(groupBySeries(batch)));
    let backoff = this.options.minBackoffMs;
    for (;;) {
      const outcome = await this.post(body);
      if (outcome.ok) {
        this.stats.sent += batch.length;
        for (const s of batch) if (s.t > this.stats.highestSentTimestampMs) this.stats.highestSentTimestampMs = s.t;
        return;
      }
      if (!outcome.retryable || this.stopped) {
        this.stats.failed += batch.length;
        this.logger.error('non-recoverable error sending samples to remote storage', { remote_name: this.options.name, url: this.options.url, err: outcome.error, count: batch.length });
        return;
      }
      this.stats.retried += batch.length;
      const wait = outcome.retryAfterMs ?? backoff;
      this.logger.warn('failed to send batch, retrying', { remote_name: this.options.name, err: outcome.error, backoff_ms: wait });
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
      backoff = Math.min(backoff * 2, this.options.maxBackoffMs);
    }
  }

  private async post(body: Uint8Array): Promise<{ ok: true } | { ok: false; retryable: boolean; error: string; retryAfterMs?: number }> {
    try {
      const res = await fetch(this.options.url, {
        method: 'POST',
        body,
        headers: {
          ...this.options.headers,
          'Content-Encoding': 'snappy',
          'Content-Type': 'application/x-protobuf',
          'User-Agent': this.options.userAgent,
          'X-Prometheus-Remote-Write-Version': '0.1.0',
        },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const text = (await res.text()).slice(0, 256);
      if (res.ok) return { ok: true };
      const error = `server returned HTTP status ${res.status} ${res.statusText}: ${text.trim()}`;
      const retryable = res.status >= 500 || (res.status === 429 && this.options.retryOnHttp429);
      const retryAfter = Number(res.headers.get('retry-after'));
      return { ok: false, retryable, error, ...(retryable && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}) };
    } catch (err) {
      return { ok: false, retryable: true, error: (err as Error).message };
    }
  }
}

function groupBySeries(batch: Pending[]): RemoteSeries[] {
  const bySeries = new Map<string, RemoteSeries>();
  for (const s of batch) {
    const key = s.labels.key();
    let series = bySeries.get(key);
    if (series === undefined) bySeries.set(key, (series = { labels: s.labels, samples: [] }));
    series.samples.push({ t: s.t, v: s.v, stale: s.stale });
  }
  return [...bySeries.values()];
}

/** Registers upstream's remote storage metric names over a set of queues. */
export function registerQueueMetrics(registry: MetricsRegistry, queues: () => readonly QueueManager[]): void {
  const families = [
    ['prometheus_remote_storage_samples_total', 'Total number of samples sent to remote storage.', 'counter', (q: QueueManager) => q.stats.sent],
    ['prometheus_remote_storage_samples_failed_total', 'Total number of samples which failed on send to remote storage, non-recoverable errors.', 'counter', (q: QueueManager) => q.stats.failed],
    ['prometheus_remote_storage_samples_retried_total', 'Total number of samples which failed on send to remote storage but were retried because the send error was recoverable.', 'counter', (q: QueueManager) => q.stats.retried],
    ['prometheus_remote_storage_samples_dropped_total', 'Total number of samples which were dropped because the queue was full.', 'counter', (q: QueueManager) => q.stats.dropped],
    ['prometheus_remote_storage_samples_pending', 'The number of samples pending in the queues shards to be sent to the remote storage.', 'gauge', (q: QueueManager) => q.pending()],
    ['prometheus_remote_storage_queue_highest_sent_timestamp_seconds', 'Timestamp from a WAL sample, the highest timestamp successfully sent by this queue, in seconds since epoch.', 'gauge', (q: QueueManager) => q.stats.highestSentTimestampMs / 1000],
  ] as const;
  registry.register({
    collect: () =>
      families.map(([name, help, type, read]) => ({
        name,
        help,
        type,
        metrics: queues().map((q) => ({ labels: remoteLabels(q), value: read(q) })),
      })),
  });
}

function remoteLabels(q: QueueManager): Labels {
  return Labels.from({ remote_name: q.options.name, url: q.options.url });
}
