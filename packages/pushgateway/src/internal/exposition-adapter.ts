import { encodeDelimited, parseFamilies, writeText, type MetricFamily } from '@pyrometer/exposition';
import { PushgatewayError } from '../errors.js';

const PROTOBUF_MEDIA_TYPE = 'application/vnd.google.protobuf';
const PROTOBUF_CONTENT_TYPE = `${PROTOBUF_MEDIA_TYPE}; proto=io.prometheus.client.MetricFamily; encoding=delimited`;
const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Parses a push body: delimited protobuf when the Content-Type says so exactly as upstream checks
 * it (`application/vnd.google.protobuf` with `proto=io.prometheus.client.MetricFamily` and
 * `encoding=delimited`), text 0.0.4 for anything else (OpenMetrics included, as upstream).
 * Throws a `bad_request` error with the parser's message.
 */
export function parsePushBody(body: Buffer, contentType: string | undefined): MetricFamily[] {
  try {
    return parseFamilies(body, isDelimitedProtobuf(contentType) ? PROTOBUF_CONTENT_TYPE : TEXT_CONTENT_TYPE);
  } catch (err) {
    throw new PushgatewayError('bad_request', (err as Error).message, { cause: err });
  }
}

/** Whether a Content-Type or Accept entry names the delimited protobuf MetricFamily stream. */
function isDelimitedProtobuf(mediaRange: string | undefined): boolean {
  if (mediaRange === undefined) return false;
  const [media, ...params] = mediaRange.split(';').map((p) => p.trim());
  if (media?.toLowerCase() !== PROTOBUF_MEDIA_TYPE) return false;
  const map = new Map(params.map((p) => p.split('=').map((s) => s.trim().replace(/^"|"$/g, '')) as [string, string]));
  return map.get('proto') === 'io.prometheus.client.MetricFamily' && map.get('encoding') === 'delimited';
}

/**
 * Encodes `/metrics` one family at a time (so a large store never becomes one huge string):
 * delimited protobuf when `accept` lists it, text 0.0.4 otherwise (promhttp's choice).
 */
export function encodeExposition(families: readonly MetricFamily[], accept: string | undefined): { contentType: string; chunks: Iterable<string | Uint8Array> } {
  const protobuf = accept !== undefined && accept.split(',').some(isDelimitedProtobuf);
  const encode = protobuf ? encodeDelimited : writeText;
  return {
    contentType: protobuf ? PROTOBUF_CONTENT_TYPE : TEXT_CONTENT_TYPE,
    chunks: (function* () {
      for (const family of families) yield encode([family]);
    })(),
  };
}
