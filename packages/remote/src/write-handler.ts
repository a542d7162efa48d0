import { CodecError, snappyDecode } from '@pyrometer/codec';
import type { Appendable } from '@pyrometer/storage';
import { StorageError } from '@pyrometer/storage';
import type { Logger } from '@pyrometer/telemetry';
import { decodeWriteRequest } from './prompb.js';

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
 * does not retry; other storage failures answer 500 (retryable). Success is 204.
 */
export async function receiveRemoteWrite(
  body: Uint8Array,
  headers: { contentType: string | undefined; contentEncoding: string | undefined },
  appendable: Appendable,
  logger: Logger,
  stats: WriteReceiverStats = { samples: 0, invalidSeries: 0 },
): Promise<RemoteAnswer> {
  const media = parseMediaType(headers.contentType ?? '');
  if (media.type !== '' && media.type !== 'application/x-protobuf') return { status: 415, body: `unsupported content type ${JSON.stringify(headers.contentType)}, expected application/x-protobuf` };
  const proto = media.params.get('proto') ?? V1_PROTO;
  if (proto === V2_PROTO) return { status: 415, body: `remote write ${V2_PROTO} is not supported by this receiver; send ${V1_PROTO}` };
  if (proto !== V1_PROTO) return { status: 415, body: `unknown remote write protobuf message ${JSON.stringify(proto)}` };
  const encoding = (headers.contentEncoding ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'snappy') return { status: 415, body: `unsupported compression: ${encoding}. Only "snappy" is supported` };
  let request;
  try {
    request = decodeWriteRequest(snappyDecode(body, 'remote write body'));
  } catch (err) {
    if (err instanceof CodecError) return { status: 400, body: err.message };
    throw err;
  }
  const app = appendable.appender();
  try {
    for (const series of request.timeseries) {
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
