import type { ScrapeProtocol } from '@pyrometer/config';

// Media types per protocol; `escapes` marks the versions that take an `escaping` parameter.
const HEADERS: Record<ScrapeProtocol, { media: string; escapes: boolean }> = {
  PrometheusProto: { media: 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited', escapes: true },
  'PrometheusText0.0.4': { media: 'text/plain;version=0.0.4', escapes: false },
  'PrometheusText1.0.0': { media: 'text/plain;version=1.0.0', escapes: true },
  'OpenMetricsText0.0.1': { media: 'application/openmetrics-text;version=0.0.1', escapes: false },
  'OpenMetricsText1.0.0': { media: 'application/openmetrics-text;version=1.0.0', escapes: true },
};

/**
 * The Accept header upstream sends for `protocols`, in order, with falling q-values starting at 0.6
 * (the number of known protocols + 1) and a final `*∕*`. The protobuf format is left out: our
 * parser reads the two text formats only, so we never ask for protobuf.
 */
export function acceptHeader(protocols: readonly ScrapeProtocol[], escapingScheme: string): string {
  let weight = Object.keys(HEADERS).length + 1;
  const parts: string[] = [];
  for (const p of protocols) {
    if (p === 'PrometheusProto') continue;
    const h = HEADERS[p];
    parts.push(`${h.media}${h.escapes && escapingScheme !== '' ? `;escaping=${escapingScheme}` : ''};q=0.${weight}`);
    weight--;
  }
  parts.push(`*/*;q=0.${weight}`);
  return parts.join(',');
}
