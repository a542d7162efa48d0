import { describe, expect, it } from 'vitest';
import { formatRfc3339Millis, formatRfc3339Nano, parseRfc3339, ZERO_TIME } from './instant.js';

describe('instants', () => {
  it.each([
    { text: '2025-01-01T00:00:00.123456789Z', nano: '2025-01-01T00:00:00.123456789Z', millis: '2025-01-01T00:00:00.123Z' },
    { text: '2025-01-01T02:00:00+02:00', nano: '2025-01-01T00:00:00Z', millis: '2025-01-01T00:00:00.000Z' },
    { text: '1970-01-01T00:00:00.5Z', nano: '1970-01-01T00:00:00.5Z', millis: '1970-01-01T00:00:00.500Z' },
    { text: '0001-01-01T00:00:00Z', nano: '0001-01-01T00:00:00Z', millis: '0001-01-01T00:00:00.000Z' },
    { text: '1969-12-31T23:59:59.999Z', nano: '1969-12-31T23:59:59.999Z', millis: '1969-12-31T23:59:59.999Z' },
  ])('$text', ({ text, nano, millis }) => {
    const t = parseRfc3339(text)!;
    expect(formatRfc3339Nano(t)).toBe(nano);
    expect(formatRfc3339Millis(t)).toBe(millis);
  });

  it('knows Go zero time and refuses what is not RFC 3339', () => {
    expect(parseRfc3339('0001-01-01T00:00:00Z')).toBe(ZERO_TIME);
    for (const bad of ['', 'bad', '2025-02-30T00:00:00Z', '2025-01-01 00:00:00Z', '2025-01-01T00:00:00']) expect(parseRfc3339(bad)).toBeUndefined();
  });
});
