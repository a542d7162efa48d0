import { CodecError, snappyDecode } from '@pyrometer/codec';
import type { Appendable } from '@pyrometer/storage';
import { StorageError } from '@pyrometer/storage';
import { MetricsRegistry, type Logger } from '@pyrometer/telemetry';
import { decodeWriteRequest, type ReceivedSeries, type RemoteMetadata, type WriteRequest } from './prompb.js';

/** An HTTP answer: status and plain-text body (empty for 204). */
export interface RemoteAnswer {
  status: number;
  body: string;
}

const V1_PROTO = 'prometheus.WriteRequest';
const V2_PROTO = 'io.prometheus.write.v2.Request';

/** Options of a {@link RemoteWriteReceiver}. */
export interface WriteReceiverOptions {
  appendable: Appendable;
  logger: Logger;
  /** Where the receiver's counters are registered (none when undefined). */
  registry?: MetricsRegistry;
  /** Largest decoded body accepted (the server's `--web.max-request-body-bytes`); larger answers 413. */
  maxDecodedBytes: number;
}

/** Received metadata, per metric family name, as /api/v1/metadata lists it (lower-case type names). */
export interface ReceivedMetadata {
  metric: string;
  type: string;
  help: string;
  unit: string;
}

/** prompb.MetricMetadata.MetricType, by number. */
const METADATA_TYPES = ['unknown', 'counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset'];

/**
 * The `/api/v1/write` receiver (remote write 1.0), one per server. Answers as upstream's write
 * handler: 415 for other content types (also 2.0's `io.prometheus.write.v2.Request`) or encodings;
 * 413 when the body decodes to more than the limit (checked before decoding: a body that will
 * never fit must not be retried); 400 for undecodable bodies and for out-of-order, duplicate or
 * out-of-bounds samples (the whole request rolls back, so the sender does not retry a poison
 * batch); 500 for other storage failures (retryable); 204 on success. Series with invalid labels
 * (no metric name, invalid UTF-8, a label name twice) are skipped, logged and counted in
 * `prometheus_api_remote_write_invalid_labels_samples_total`, as upstream. Native histogram
 * samples and exemplars are not stored yet: they are counted in
 * `pyrometer_remote_write_unsupported_total{type}` and logged once. Metadata is kept (the latest
 * per family) for /api/v1/metadata.
 */
export class RemoteWriteReceiver {
  private readonly invalidSeries;
  private readonly unsupported;
  private warnedUnsupported = false;
  private readonly received = new Map<string, ReceivedMetadata>();

  constructor(private readonly options: WriteReceiverOptions) {
    const registry = options.registry ?? new MetricsRegistry();
    this.invalidSeries = registry.counter({ name: 'prometheus_api_remote_write_invalid_labels_samples_total', help: 'The total number of received remote write samples and histogram samples which were rejected due to invalid labels.' });
    this.unsupported = registry.counter({ name: 'pyrometer_remote_write_unsupported_total', help: 'Native histogram samples and exemplars received by remote write and dropped, because they are not stored yet.', labelNames: ['type'] });
  }

  /** Metadata received so far, one entry per metric family (the latest wins). */
  metadata(): ReceivedMetadata[] {
    return [...this.received.values()];
  }

  /** Handles one request body with its Content-Type and Content-Encoding headers. */
  async receive(body: Uint8Array, headers: { contentType: string | undefined; contentEncoding: string | undefined }): Promise<RemoteAnswer> {
    const decoded = decodeRemoteWrite(body, headers, this.options.maxDecodedBytes);
    return decoded.ok ? this.receiveDecoded(decoded.request) : decoded.answer;
  }

  /**
   * The second half of {@link receive}, for a request {@link decodeRemoteWrite} decoded (possibly
   * on another thread): keeps its metadata and appends its series in one batch, one commit. With
   * `yieldEvery` > 0 the event loop gets a turn after every that many samples, so a large request
   * never holds it for long; the batch still commits as one.
   */
  async receiveDecoded(request: WriteRequest, yieldEvery = 0): Promise<RemoteAnswer> {
    this.keepMetadata(request.metadata);
    return this.append(request.timeseries, yieldEvery);
  }

  private async append(timeseries: readonly ReceivedSeries[], yieldEvery: number): Promise<RemoteAnswer> {
    const { logger } = this.options;
    const app = this.options.appendable.appender();
    let sinceYield = 0;
    try {
      for (const series of timeseries) {
        this.countUnsupported(series);
        const invalid = invalidLabels(series);
        if (invalid !== undefined) {
          this.invalidSeries.inc();
          logger.warn('Invalid metric names or labels', { labels: series.labels.toString(), reason: invalid });
          continue;
        }
        let ref = 0;
        for (const s of series.samples) ref = app.append(ref, series.labels, s.t, s.v, s.stale);
        sinceYield += series.samples.length;
        if (yieldEvery > 0 && sinceYield >= yieldEvery) {
          sinceYield = 0;
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    } catch (err) {
      await app.rollback();
      if (err instanceof StorageError && (err.code === 'out_of_order_sample' || err.code === 'out_of_bounds' || err.code === 'duplicate_sample_for_timestamp' || err.code === 'too_old_sample')) {
        logger.error('Out of order sample from remote write', { err: err.message });
        return { status: 400, body: err.message };
      }
      logger.error('Error appending remote write', { err: err as Error });
      return { status: 500, body: (err as Error).message };
    }
    try {
      await app.commit();
    } catch (err) {
      logger.error('Error committing remote write', { err: err as Error });
      return { status: 500, body: (err as Error).message };
    }
    return { status: 204, body: '' };
  }

  private countUnsupported(series: ReceivedSeries): void {
    if (series.histograms === 0 && series.exemplars === 0) return;
    if (series.histograms > 0) this.unsupported.labels('histogram').inc(series.histograms);
    if (series.exemplars > 0) this.unsupported.labels('exemplar').inc(series.exemplars);
    if (this.warnedUnsupported) return;
    this.warnedUnsupported = true;
    this.options.logger.warn('Remote write carried native histogram samples or exemplars, which are not stored yet; they are dropped and counted in pyrometer_remote_write_unsupported_total (logged once)', { labels: series.labels.toString() });
  }

  private keepMetadata(metadata: readonly RemoteMetadata[]): void {
    for (const m of metadata) {
      if (m.metricFamilyName === '') continue;
      this.received.set(m.metricFamilyName, { metric: m.metricFamilyName, type: METADATA_TYPES[m.type] ?? 'unknown', help: m.help, unit: m.unit });
    }
  }
}

/**
 * The request in a remote write body, or the answer refusing it: 415 for the content type or
 * encoding, 413 when it decodes to more than `maxDecodedBytes`, 400 when it does not decode. Pure
 * (no storage, no logging), so it may run on another thread.
 */
export function decodeRemoteWrite(
  body: Uint8Array,
  headers: { contentType: string | undefined; contentEncoding: string | undefined },
  maxDecodedBytes: number,
): { ok: true; request: WriteRequest } | { ok: false; answer: RemoteAnswer } {
  const refused = checkHeaders(headers);
  if (refused !== undefined) return { ok: false, answer: refused };
  try {
    return { ok: true, request: decodeWriteRequest(snappyDecode(body, 'remote write body', maxDecodedBytes)) };
  } catch (err) {
    if (err instanceof CodecError) return { ok: false, answer: { status: err.code === 'too_large' ? 413 : 400, body: err.message } };
    throw err;
  }
}

/** Why a series' labels are refused, as upstream checks them, or undefined. */
function invalidLabels(series: ReceivedSeries): string | undefined {
  if (series.duplicateLabel !== undefined) return `duplicate label name ${JSON.stringify(series.duplicateLabel)}`;
  return series.labels.validate() ?? (series.labels.metricName === '' ? 'missing metric name' : undefined);
}

/** The 415 answer for a Content-Type or Content-Encoding other than remote write 1.0's, or undefined. */
function checkHeaders(headers: { contentType: string | undefined; contentEncoding: string | undefined }): RemoteAnswer | undefined {
  const media = parseMediaType(headers.contentType ?? '');
  if (media.type !== '' && media.type !== 'application/x-protobuf') return { status: 415, body: `unsupported content type ${JSON.stringify(headers.contentType)}, expected application/x-protobuf` };
  const proto = media.params.get('proto') ?? V1_PROTO;
  if (proto === V2_PROTO) return { status: 415, body: `remote write ${V2_PROTO} is not supported by this receiver; send ${V1_PROTO}` };
  if (proto !== V1_PROTO) return { status: 415, body: `unknown remote write protobuf message ${JSON.stringify(proto)}` };
  const encoding = (headers.contentEncoding ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'snappy') return { status: 415, body: `unsupported compression: ${encoding}. Only "snappy" is supported` };
  return undefined;
}

/** `type/subtype; k=v` → lower-cased type and parameters. */
function parseMediaType(header: string): { type: string; params: Map<string, string> } {
  const [type = '', ...rest] = header.split(';');
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"|"$/g, ''));
  }
  return { type: type.trim().toLowerCase(), params };
}
