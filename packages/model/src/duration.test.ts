import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, parseDurationOrSeconds } from './duration.js';
import { ModelError } from './errors.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('parseDuration', () => {
  it.each([
    { name: 'zero without unit', s: '0', want: 0 },
    { name: 'zero with unit', s: '0s', want: 0 },
    { name: 'minutes and seconds', s: '1m30s', want: 90 * S },
    { name: 'minutes', s: '5m', want: 5 * M },
    { name: 'hour', s: '1h', want: H },
    { name: 'milliseconds', s: '250ms', want: 250 },
    { name: 'day', s: '1d', want: D },
    { name: 'week', s: '1w', want: 7 * D },
    { name: 'year is 365 days', s: '1y', want: 365 * D },
    { name: 'every unit', s: '1y2w3d4h5m6s7ms', want: 365 * D + 14 * D + 3 * D + 4 * H + 5 * M + 6 * S + 7 },
    { name: 'large count of a small unit', s: '90000s', want: 90_000 * S },
    { name: 'leading zeros', s: '0005m', want: 5 * M },
    { name: 'largest value', s: '9223372036854ms', want: 9_223_372_036_854 },
  ])('$name: $s', ({ s, want }) => {
    expect(parseDuration(s)).toBe(want);
  });

  it.each([
    { name: 'empty', s: '', message: 'empty duration string' },
    { name: 'no unit', s: '5', message: 'not a valid duration string: "5"' },
    { name: 'fraction', s: '1.5h', message: 'unknown unit "." in duration "1.5h"' },
    { name: 'units ascending', s: '30s1m', message: 'not a valid duration string: "30s1m"' },
    { name: 'unit repeated', s: '1m1m', message: 'not a valid duration string: "1m1m"' },
    { name: 'space', s: '1m 30s', message: 'unknown unit "m " in duration "1m 30s"' },
    { name: 'unknown unit', s: '3x', message: 'unknown unit "x" in duration "3x"' },
    { name: 'Go-only unit', s: '5us', message: 'unknown unit "us" in duration "5us"' },
    { name: 'negative', s: '-1m', message: 'not a valid duration string: "-1m"' },
    { name: 'unit only', s: 'h', message: 'not a valid duration string: "h"' },
    { name: 'overflow in one unit', s: '300y', message: 'duration out of range' },
    { name: 'overflow in the sum', s: '292y52w', message: 'duration out of range' },
    { name: 'beyond uint64', s: '99999999999999999999999ms', message: 'not a valid duration string: "99999999999999999999999ms"' },
  ])('rejects $name', ({ s, message }) => {
    let caught: unknown;
    try {
      parseDuration(s);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ModelError);
    expect((caught as ModelError).code).toBe('invalid_duration');
    expect((caught as ModelError).message).toBe(message);
  });
});

describe('formatDuration', () => {
  it.each([
    { ms: 0, want: '0s' },
    { ms: 90_000, want: '1m30s' },
    { ms: D, want: '1d' },
    { ms: 7 * D, want: '1w' },
    { ms: 365 * D, want: '1y' },
    { ms: 90 * D, want: '90d' },
    { ms: 14 * D, want: '2w' },
    { ms: 8 * D + 1, want: '8d1ms' },
    { ms: 250, want: '250ms' },
    { ms: H + 500, want: '1h500ms' },
    { ms: -90_000, want: '-1m30s' },
    { ms: 0.5, want: '0s' },
  ])('$ms → $want', ({ ms, want }) => {
    expect(formatDuration(ms)).toBe(want);
  });

  it('reads back what it writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_223_372_036_854 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
  });
});

describe('parseDurationOrSeconds', () => {
  it.each([
    { s: '15', want: 15_000 },
    { s: '0.5', want: 500 },
    { s: '1e3', want: 1_000_000 },
    { s: '5m', want: 5 * M },
    { s: '1h30m', want: 90 * M },
  ])('$s', ({ s, want }) => {
    expect(parseDurationOrSeconds(s)).toBe(want);
  });

  it.each([
    { s: 'abc', message: 'cannot parse "abc" to a valid duration' },
    { s: 'NaN', message: 'cannot parse "NaN" to a valid duration' },
    { s: '1e300', message: 'cannot parse "1e300" to a valid duration. It overflows int64' },
    { s: 'Inf', message: 'cannot parse "Inf" to a valid duration. It overflows int64' },
  ])('rejects $s', ({ s, message }) => {
    expect(() => parseDurationOrSeconds(s)).toThrow(message);
  });
});
