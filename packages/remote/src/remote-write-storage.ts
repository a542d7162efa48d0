import type { RemoteWriteConfig } from '@pyrometer/config';
import { compileRelabelConfig, relabel, type Labels, type RelabelRule } from '@pyrometer/model';
import type { Appendable, Appender, SeriesRef } from '@pyrometer/storage';
import type { Logger } from '@pyrometer/telemetry';
import { QueueManager } from './queue-manager.js';

interface Destination {
  queue: QueueManager;
  rules: RelabelRule[];
  /** Series ref → the labels sent for it (null when write_relabel_configs drop it). */
  sent: Map<SeriesRef, Labels | null>;
  fingerprint: string;
}

/**
 * An Appendable in front of the TSDB that also feeds every configured remote_write queue: after a
 * batch commits locally, each sample goes to each destination with its write_relabel_configs and
 * the external labels applied (cached per series). Without remote_write configured, appenders are
 * the primary's own, so the scrape path pays nothing.
 */
export class RemoteWriteStorage implements Appendable {
  private destinations: Destination[] = [];
  private readonly labelsByRef = new Map<SeriesRef, Labels>();

  constructor(
    private readonly primary: Appendable,
    private readonly logger: Logger,
    private readonly userAgent: string,
  ) {}

  /** The running queues (for metrics and tests). */
  queues(): QueueManager[] {
    return this.destinations.map((d) => d.queue);
  }

  /**
   * Applies the remote_write section: unchanged destinations keep their queues; removed or changed
   * ones are flushed and stopped; new ones start. Invalid relabel rules throw before anything changes.
   */
  async applyConfig(configs: readonly RemoteWriteConfig[], externalLabels: Readonly<Record<string, string>>): Promise<void> {
    const next: Destination[] = [];
    const keep = new Set<Destination>();
    for (const config of configs) {
      const fingerprint = JSON.stringify([config, externalLabels]);
      const existing = this.destinations.find((d) => d.fingerprint === fingerprint && !keep.has(d));
      if (existing) {
        keep.add(existing);
        next.push(existing);
        continue;
      }
      const rules = config.writeRelabelConfigs.map((c) => compileRelabelConfig(c));
      const q = config.queueConfig;
      const queue = new QueueManager(
        {
          url: config.url,
          name: config.name || config.url,
          timeoutMs: config.remoteTimeout,
          headers: { ...config.headers, ...authHeaders(config) },
          capacity: Math.max(q.capacity, q.maxSamplesPerSend) * Math.max(1, q.maxShards),
          maxSamplesPerSend: q.maxSamplesPerSend,
          batchSendDeadlineMs: q.batchSendDeadline,
          minBackoffMs: q.minBackoff,
          maxBackoffMs: q.maxBackoff,
          retryOnHttp429: q.retryOnHttp429,
          userAgent: this.userAgent,
        },
        this.logger.with({ remote_name: config.name || config.url }),
      );
      next.push({ queue, rules: [...rules, ...externalLabelRules(externalLabels)], sent: new Map(), fingerprint });
    }
    const removed = this.destinations.filter((d) => !keep.has(d));
    this.destinations = next;
    await Promise.all(removed.map((d) => d.queue.stop()));
  }

  appender(): Appender {
    return this.destinations.length === 0 ? this.primary.appender() : new TeeAppender(this.primary.appender(), this);
  }

  /** @internal Called by the tee after a local commit. */
  forward(refs: SeriesRef[], labels: (Labels | undefined)[], ts: number[], vs: number[], stale: boolean[]): void {
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i]!;
      let l = labels[i];
      if (l !== undefined && l.size > 0) this.labelsByRef.set(ref, l);
      else l = this.labelsByRef.get(ref);
      if (l === undefined) continue;
      for (const d of this.destinations) {
        let out = d.sent.get(ref);
        if (out === undefined) {
          out = relabel(l, d.rules) ?? null;
          d.sent.set(ref, out);
        }
        if (out !== null) d.queue.enqueue(out, ts[i]!, vs[i]!, stale[i]!);
      }
    }
  }

  /** Flushes and stops every queue (bounded in time). */
  async stop(): Promise<void> {
    await Promise.all(this.destinations.map((d) => d.queue.stop()));
    this.destinations = [];
  }
}

class TeeAppender implements Appender {
  private readonly refs: SeriesRef[] = [];
  private readonly labels: (Labels | undefined)[] = [];
  private readonly ts: number[] = [];
  private readonly vs: number[] = [];
  private readonly stale: boolean[] = [];

  constructor(private readonly inner: Appender, private readonly storage: RemoteWriteStorage) {}

  append(ref: SeriesRef, labels: Labels, t: number, value: number, stale = false): SeriesRef {
    const out = this.inner.append(ref, labels, t, value, stale);
    this.refs.push(out);
    this.labels.push(labels);
    this.ts.push(t);
    this.vs.push(value);
    this.stale.push(stale);
    return out;
  }

  async commit(): Promise<void> {
    await this.inner.commit();
    this.storage.forward(this.refs, this.labels, this.ts, this.vs, this.stale);
  }

  rollback(): Promise<void> {
    return this.inner.rollback();
  }
}

/** External labels are added where a series lacks them (after write_relabel_configs, as upstream). */
function externalLabelRules(external: Readonly<Record<string, string>>): RelabelRule[] {
  return Object.entries(external).map(([name, value]) =>
    compileRelabelConfig({ sourceLabels: [name], separator: ';', regex: '', modulus: 0, targetLabel: name, replacement: value.replace(/\$/g, '$$$$'), action: 'replace' }),
  );
}

function authHeaders(config: RemoteWriteConfig): Record<string, string> {
  const http = config.httpClient;
  if (http.basicAuth) return { Authorization: `Basic ${Buffer.from(`${http.basicAuth.username}:${http.basicAuth.password}`).toString('base64')}` };
  if (http.authorization && http.authorization.credentials !== '') return { Authorization: `${http.authorization.type || 'Bearer'} ${http.authorization.credentials}` };
  return {};
}
