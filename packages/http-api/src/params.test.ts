import { describe, expect, it } from 'vitest';
import { ApiError } from './error-type.js';
import { limitParam, MAX_TIME_MS, MIN_TIME_MS, parseDurationParam, parseTimeParam, timeParam } from './params.js';

describe('parseTimeParam', () => {
  it.each([
    { name: 'integer seconds', s: '1435781451', want: 1435781451000 },
    { name: 'fractional seconds round to ms', s: '1435781451.7815', want: 1435781451782 },
    { name: 'Grafana health check time', s: '4', want: 4000 },
    { name: 'negative', s: '-1.5', want: -1500 },
    { name: 'RFC3339 UTC', s: '2015-07-01T20:10:51.781Z', want: 1435781451781 },
    { name: 'RFC3339 nanoseconds truncate', s: '2015-07-01T20:10:51.781999999Z', want: 1435781451781 },
    { name: 'RFC3339 offset', s: '2015-07-01T22:10:51+02:00', want: 1435781451000 },
    { name: 'upstream MinTime', s: '-292273086-05-16T16:47:06Z', want: MIN_TIME_MS },
    { name: 'upstream MaxTime', s: '292277025-08-18T07:12:54.999999999Z', want: MAX_TIME_MS },
  ])('$name', ({ s, want }) => {
    expect(parseTimeParam(s)).toBe(want);
  });

  it('rejects garbage with upstream wording and the parameter name', () => {
    expect(() => timeParam('start', 'yesterday', 0)).toThrow('invalid parameter "start": cannot parse "yesterday" to a valid timestamp');
    expect(() => parseTimeParam('2015-13-01T00:00:00Z')).toThrow(ApiError);
    expect(timeParam('time', undefined, 42)).toBe(42);
  });
});

describe('parseDurationParam and limitParam', () => {
  it('accepts float seconds and Prometheus durations', () => {
    expect(parseDurationParam('15')).toBe(15_000);
    expect(parseDurationParam('0.5')).toBe(500);
    expect(parseDurationParam('1m30s')).toBe(90_000);
    expect(() => parseDurationParam('5 minutes')).toThrow('cannot parse "5 minutes" to a valid duration');
  });

  it('accepts non-negative integer limits only', () => {
    expect(limitParam(undefined)).toBe(0);
    expect(limitParam('40000')).toBe(40000);
    expect(() => limitParam('-1')).toThrow(/invalid parameter "limit"/);
  });
});
