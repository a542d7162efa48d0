import { ExpositionError } from './exposition-error.js';

/** The wire formats a scrape or a push body can be in. */
export const ExpositionFormat = {
  /** Prometheus text format 0.0.4 (and 1.0.0, which adds quoted UTF-8 names). */
  Text: 'text',
  /** OpenMetrics 1.0 text. */
  OpenMetrics: 'openmetrics',
  /** Varint-delimited protobuf `io.prometheus.client.MetricFamily` messages. */
  Protobuf: 'protobuf',
} as const;
export type ExpositionFormat = (typeof ExpositionFormat)[keyof typeof ExpositionFormat];

/**
 * Maps a Content-Type header to a format with Prometheus 3's rules: only the media type counts
 * (parameters and case are ignored); `text/plain`, `application/openmetrics-text` and
 * `application/vnd.google.protobuf` are known. A missing, unparsable or unknown type yields
 * `fallback` when one is given, and otherwise throws an {@link ExpositionError} with code
 * `content-type` (Prometheus fails such a scrape unless `fallback_scrape_protocol` is set).
 */
export function formatFromContentType(contentType: string | null | undefined, fallback?: ExpositionFormat): ExpositionFormat {
  const mediaType = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  switch (mediaType) {
    case 'text/plain':
      return ExpositionFormat.Text;
    case 'application/openmetrics-text':
      return ExpositionFormat.OpenMetrics;
    case 'application/vnd.google.protobuf':
      return ExpositionFormat.Protobuf;
  }
  if (fallback !== undefined) return fallback;
  const what = mediaType === '' ? 'missing or empty Content-Type' : `received unsupported Content-Type ${JSON.stringify(contentType)}`;
  throw new ExpositionError('content-type', `${what}; supported: text/plain, application/openmetrics-text, application/vnd.google.protobuf (set a fallback protocol to accept it)`);
}

/** The Content-Type our writers produce for each format. */
export const CONTENT_TYPES: Readonly<Record<ExpositionFormat, string>> = {
  text: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
  protobuf: 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
};
