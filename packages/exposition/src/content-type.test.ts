import { describe, expect, it } from 'vitest';
import { formatFromContentType } from './content-type.js';
import { ExpositionError } from './exposition-error.js';

describe('formatFromContentType (Prometheus 3 rules)', () => {
  it.each([
    { name: 'text 0.0.4', header: 'text/plain; version=0.0.4; charset=utf-8', format: 'text' },
    { name: 'text 1.0.0 with escaping', header: 'text/plain;version=1.0.0;escaping=allow-utf-8', format: 'text' },
    { name: 'OpenMetrics', header: 'application/openmetrics-text; version=1.0.0; charset=utf-8', format: 'openmetrics' },
    { name: 'case-insensitive', header: 'Application/OpenMetrics-Text', format: 'openmetrics' },
    { name: 'protobuf', header: 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited', format: 'protobuf' },
  ])('$name', ({ header, format }) => {
    expect(formatFromContentType(header)).toBe(format);
  });

  it.each([
    { name: 'missing', header: undefined, message: 'missing or empty Content-Type' },
    { name: 'empty', header: '', message: 'missing or empty Content-Type' },
    { name: 'unknown', header: 'application/json', message: 'received unsupported Content-Type "application/json"' },
  ])('rejects $name without a fallback', ({ header, message }) => {
    let err: unknown;
    try {
      formatFromContentType(header);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExpositionError);
    expect((err as ExpositionError).code).toBe('content-type');
    expect((err as ExpositionError).message).toContain(message);
  });

  it('uses the fallback for missing or unknown types', () => {
    expect(formatFromContentType(null, 'text')).toBe('text');
    expect(formatFromContentType('text/html', 'openmetrics')).toBe('openmetrics');
  });
});
