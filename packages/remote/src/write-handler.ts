import { CodecError, snappyDecode } from '@pyrometer/codec';
import type { Appendable } from '@pyrometer/storage';
import { StorageError } from '@pyrometer/storage';
import type { Logger } from '@pyrometer/telemetry';
import { decodeWriteRequest, type RemoteSeries, type WriteRequest } from './prompb.js';

/** An HTTP answer: status and plain-text body (empty for 204). */
export interface RemoteAnswer {
  status: number;
  body: string;
}

const V1_PROTO = 'prometheus.WriteRequest';
const V2_PROTO = 'io.prometheus.write.v2.Request';

/** Counters the receiver reports, owned by the caller. */
export interface WriteReceiverStats {
  samples: number;
  invalidSeries: number;
}

/**
 * Handles one remote write 1.0 request as upstream's write handler: checks Content-Type (415 for
 * anything but protobuf `prometheus.WriteRequest`, including 2.0's `io.prometheus.write.v2.Request`)
 * and Content-Encoding (415 unless snappy), decodes (400 on malformed data), appends every sample in
 * one batch and commits. Series with invalid labels are skipped and logged. An out-of-order,
 * duplicate or out-of-bounds sample rolls the whole request back and answers 400, so the sender
 * does not retry; other storage failures answer 500 (retryable). Success is 204. The two halves
 * are {@link decodeRemoteWrite} (pure, may run on another thread) and {@link appendRemoteWrite}.
 */
export async function receiveRemoteWrite(
  body: Uint8Array,
  headers: { contentType: string | undefined; contentEncoding: string | undefined },
  appendable: Appendable,
  logger: Logger,
  stats: WriteReceiverStats = { samples: 0, invalidSeries: 0 },
): Promise<RemoteAnswer> {
  const decoded = decodeRemoteWrite(body, headers);
  if (!decoded.ok) return decoded.answer;
  return appendRemoteWrite(decoded.request.timeseries, appendable, logger, stats);
}

/** The series of a remote write body, or the 4xx answer refusing it (content type, encoding, malformed data). */
export function decodeRemoteWrite(
  body: Uint8Array,
  headers: { contentType: string | undefined; contentEncoding: string | undefined },
): { ok: true; request: WriteRequest } | { ok: false; answer: RemoteAnswer } {
  const refuse = (status: number, text: string) => ({ ok: false as const, answer: { status, body: text } });
  const media = parseMediaType(headers.contentType ?? '');
  if (media.type !== '' && media.type !== 'application/x-protobuf') return refuse(415, `unsupported content type ${JSON.stringify(headers.contentType)}, expected application/x-protobuf`);
  const proto = media.params.get('proto') ?? V1_PROTO;
  if (proto === V2_PROTO) return refuse(415, `remote write ${V2_PROTO} is not supported by this receiver; send ${V1_PROTO}`);
  if (proto !== V1_PROTO) return refuse(415, `unknown remote write protobuf message ${JSON.stringify(proto)}`);
  const encoding = (headers.contentEncoding ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'snappy') return refuse(415, `unsupported compression: ${encoding}. Only "snappy" is supported`);
  try {
    return { ok: true, request: decodeWriteRequest(snappyDecode(body, 'remote write body')) };
  } catch (err) {
    if (err instanceof CodecError) return refuse(400, err.message);
    throw err;
  }
}

/**
 * Appends decoded series in one batch and commits it (the second half of
 * {@link receiveRemoteWrite}, same answers). With `yieldEvery` > 0 the event loop gets a turn
 * after every that many samples, so a large request never holds it for long; the batch still
 * commits as one.
 */
export async function appendRemoteWrite(
  timeseries: readonly RemoteSeries[],
  appendable: Appendable,
  logger: Logger,
  stats: WriteReceiverStats = { samples: 0, invalidSeries: 0 },
  yieldEvery = 0,
): Promise<RemoteAnswer> {
  const app = appendable.appender();
  let sinceYield = 0;
  try {
    for (const series of timeseries) {
      const invalid = series.labels.validate() ?? (series.labels.metricName === '' ? 'missing metric name' : undefined);
      if (invalid !== undefined) {
        stats.invalidSeries++;
        logger.warn('Invalid metric names or labels', { labels: series.labels.toString(), reason: invalid });
        continue;
      }
      let ref = 0;
      for (const s of series.samples) {
        ref = app.append(ref, series.labels, s.t, s.v, s.stale);
        stats.samples++;
      }
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
