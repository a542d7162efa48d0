import { snappyEncode } from '@pyrometer/codec';
import type { Labels } from '@pyrometer/model';
import type { Logger } from '@pyrometer/telemetry';
import { encodeWriteRequest, type LabelCache, type RemoteSeries } from './prompb.js';

/** Sending settings of one remote_write destination (upstream's queue_config, in ms). */
export interface QueueOptions {
  url: string;
  /** Name used in metrics and logs (remote_write `name`, or the URL). */
  name: string;
  timeoutMs: number;
  /** Extra request headers (remote_write `headers`, auth). */
  headers: Record<string, string>;
  /** Samples buffered before {@link QueueManager.hasRoom} says no (the feeder waits). */
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
  highestSentTimestampMs: number;
}

/**
 * Called after each batch is settled — accepted, or refused with a non-retryable status — with
 * its number of samples. Batches settle in the order their samples were enqueued.
 */
export type SettledListener = (samples: number) => void;

/**
 * Sends samples to one remote_write endpoint: batches of up to `maxSamplesPerSend` (or whatever
 * arrived within `batchSendDeadlineMs`), snappy-compressed protobuf WriteRequests, one request in
 * flight, in enqueue order. 5xx answers, network errors and — with `retryOnHttp429` — 429 are
 * retried with exponential backoff from `minBackoffMs` to `maxBackoffMs` (a `Retry-After` header
 * wins) until accepted; other 4xx answers drop the batch, as upstream does. Nothing is dropped for
 * lack of room: the feeder checks {@link QueueManager.hasRoom}. A stopped queue abandons what it
 * has not sent; those samples are never reported settled.
 */
export class QueueManager {
  readonly stats: QueueStats = { sent: 0, failed: 0, retried: 0, highestSentTimestampMs: 0 };
  private buffer: Pending[] = [];
  /** Index in `buffer` of the first sample not yet settled (the buffer is compacted lazily). */
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private state: 'running' | 'stopping' | 'stopped' = 'running';
  private wake: (() => void) | undefined;
  private readonly abort = new AbortController();
  private readonly labelCache: LabelCache = new WeakMap();

  constructor(
    readonly options: QueueOptions,
    private readonly logger: Logger,
    private readonly onSettled: SettledListener = () => undefined,
  ) {}

  /** Queues one sample (labels already relabeled and carrying the external labels). */
  enqueue(labels: Labels, t: number, v: number, stale: boolean): void {
    if (this.state !== 'running') return;
    this.buffer.push({ labels, t, v, stale });
    if (this.pending() >= this.options.maxSamplesPerSend) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.options.batchSendDeadlineMs);
  }

  /** Whether fewer than `capacity` samples wait; a feeder enqueues only while this holds. */
  hasRoom(): boolean {
    return this.pending() < this.options.capacity;
  }

  /** Samples waiting to be sent. */
  pending(): number {
    return this.buffer.length - this.head;
  }

  /** Sends everything buffered now and resolves when the queue is empty (or stopped). */
  async flush(): Promise<void> {
    while ((this.pending() > 0 || this.sending !== undefined) && this.state === 'running') {
      if (this.sending === undefined) this.kick();
      await this.sending;
    }
  }

  /**
   * Sends what is buffered while the endpoint accepts it, for up to `timeoutMs`, then stops: a
   * failing or unfinished send is abandoned at once. Later samples are ignored.
   */
  async stop(timeoutMs = 5_000): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    this.wake?.();
    const deadline = setTimeout(() => this.abort.abort(), timeoutMs);
    if (this.pending() > 0) this.kick();
    await this.sending;
    clearTimeout(deadline);
    this.state = 'stopped';
    if (this.timer) clearTimeout(this.timer);
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.sending ??= this.drain().finally(() => {
      this.sending = undefined;
      if (this.pending() > 0 && this.state === 'running') this.timer ??= setTimeout(() => this.kick(), this.options.batchSendDeadlineMs);
    });
  }

  private async drain(): Promise<void> {
    while (this.pending() > 0 && this.state !== 'stopped') {
      const batch = this.buffer.slice(this.head, this.head + this.options.maxSamplesPerSend);
      if (!(await this.sendWithRetries(batch))) return;
      this.head += batch.length;
      if (this.head * 2 >= this.buffer.length) {
        this.buffer.splice(0, this.head);
        this.head = 0;
      }
      this.onSettled(batch.length);
      if (this.pending() < this.options.maxSamplesPerSend && this.state === 'running') return;
    }
  }

  /** Sends `batch` until it is accepted or refused for good (true), or the queue gives up (false). */
  private async sendWithRetries(batch: Pending[]): Promise<boolean> {
    const body = snappyEncode(encodeWriteRequest(groupBySeries(batch), [], this.labelCache));
    let backoff = this.options.minBackoffMs;
    for (;;) {
      const outcome = await this.post(body);
      if (outcome.ok) {
        this.stats.sent += batch.length;
        for (const s of batch) if (s.t > this.stats.highestSentTimestampMs) this.stats.highestSentTimestampMs = s.t;
        return true;
      }
      if (!outcome.retryable) {
        this.stats.failed += batch.length;
        this.logger.error('non-recoverable error sending samples to remote storage', { remote_name: this.options.name, url: this.options.url, err: outcome.error, count: batch.length });
        return true;
      }
      if (this.state !== 'running') return false;
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
      if (this.state !== 'running') return false;
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
        signal: AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs), this.abort.signal]),
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
