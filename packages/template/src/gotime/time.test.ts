import { describe, expect, it } from 'vitest';
import { GoDuration } from './duration.js';
import { parsePosixTz } from './posix-tz.js';
import { GoTime } from './time.js';
import { fixedZone } from './zone.js';

describe('time.Duration.String (Go time_test.go)', () => {
  it.each([
    [0n, '0s'],
    [1n, '1ns'],
    [1100n, '1.1µs'],
    [2_200_000n, '2.2ms'],
    [3_300_000_000n, '3.3s'],
    [4n * 60n * 1_000_000_000n + 5_000_000_000n, '4m5s'],
    [4n * 60n * 1_000_000_000n + 5_001_000_000n, '4m5.001s'],
    [5n * 3600n * 1_000_000_000n + 6n * 60n * 1_000_000_000n + 7_001_000_000n, '5h6m7.001s'],
    [8n * 60n * 1_000_000_000n + 1n, '8m0.000000001s'],
    [2n ** 63n - 1n, '2562047h47m16.854775807s'],
    [-(2n ** 63n), '-2562047h47m16.854775808s'],
  ])('%s ns → %s', (ns, text) => {
    expect(new GoDuration(ns).String()).toBe(text);
  });

  it('Seconds, Minutes, Round and Truncate', () => {
    const d = new GoDuration(90_500_000_000n);
    expect(d.Seconds()).toBe(90.5);
    expect(d.Minutes()).toBeCloseTo(1.508333, 5);
    expect(d.Round(new GoDuration(60_000_000_000n)).String()).toBe('2m0s');
    expect(d.Truncate(new GoDuration(60_000_000_000n)).String()).toBe('1m0s');
    expect(GoDuration.fromSeconds(1e300).nanos).toBe(-(2n ** 63n));
  });
});

describe('time.Time formatting (Go format_test.go layouts)', () => {
  const t = GoTime.fromUnix(1234567890, 123456789, fixedZone('PST', -8 * 3600)); // 2009-02-13 15:31:30.123456789 PST
  it.each([
    ['ANSIC', 'Mon Jan _2 15:04:05 2006', 'Fri Feb 13 15:31:30 2009'],
    ['UnixDate', 'Mon Jan _2 15:04:05 MST 2006', 'Fri Feb 13 15:31:30 PST 2009'],
    ['RFC822Z', '02 Jan 06 15:04 -0700', '13 Feb 09 15:31 -0800'],
    ['RFC850', 'Monday, 02-Jan-06 15:04:05 MST', 'Friday, 13-Feb-09 15:31:30 PST'],
    ['RFC3339Nano', '2006-01-02T15:04:05.999999999Z07:00', '2009-02-13T15:31:30.123456789-08:00'],
    ['Kitchen', '3:04PM', '3:31PM'],
    ['StampMicro', 'Jan _2 15:04:05.000000', 'Feb 13 15:31:30.123456'],
    ['fraction with comma', '15:04:05,000', '15:31:30,123'],
    ['year day', '002 __2', '044  44'],
    ['short zone', '-07 Z07', '-08 -08'],
    ['seconds zone', '-07:00:00 Z070000', '-08:00:00 -080000'],
    ['lower pm', '3pm PM', '3pm PM'],
    ['Jan before a lower-case letter is text, Monday is not', 'Janet Mondays', 'Janet Fridays'],
  ])('%s', (_name, layout, expected) => {
    expect(t.Format(layout)).toBe(expected);
  });

  it('prints as Go prints a time, zero time included', () => {
    expect(GoTime.fromUnix(0).String()).toBe('1970-01-01 00:00:00 +0000 UTC');
    expect(GoTime.zero().String()).toBe('0001-01-01 00:00:00 +0000 UTC');
    expect(GoTime.zero().toJSON()).toBe('0001-01-01T00:00:00Z');
    expect(GoTime.fromUnix(0, 0, fixedZone('', 5400)).String()).toBe('1970-01-01 01:30:00 +0130 +0130');
    expect(GoTime.fromUnix(1, 500_000_000).UTC().String()).toBe('1970-01-01 00:00:01.5 +0000 UTC');
  });

  it('writes JSON (RFC 3339 with nanoseconds) as its layout does, for UTC times of years 1 to 9999 and beyond', () => {
    const layout = '2006-01-02T15:04:05.999999999Z07:00';
    for (const [seconds, nanos] of [[-62135596800, 0], [0, 1], [1_700_000_000, 123_000_000], [1_700_000_000, 5], [253402300799, 999_999_999], [253402300800, 0], [-62135596801, 0]] as const) {
      const t = GoTime.fromUnix(seconds, nanos);
      expect(t.toJSON(), `${seconds}.${nanos}`).toBe(t.Format(layout));
    }
  });

  it('parses RFC 3339 with offsets and nanoseconds', () => {
    expect(GoTime.parseRFC3339('2024-01-01T08:15:30.123456789+01:00')?.toJSON()).toBe('2024-01-01T08:15:30.123456789+01:00');
    expect(GoTime.parseRFC3339('2024-01-01T07:15:30Z')?.Unix()).toBe(1704093330n);
    expect(GoTime.parseRFC3339('2024-02-30T00:00:00Z')).toBeUndefined();
    expect(GoTime.parseRFC3339('yesterday')).toBeUndefined();
  });

  it('arithmetic: Add, Sub, Before/After, Truncate, Round, calendar fields', () => {
    const a = GoTime.fromUnix(1000);
    const b = a.Add(new GoDuration(1_500_000_000n));
    expect(b.Sub(a).String()).toBe('1.5s');
    expect(a.Before(b) && b.After(a) && !a.Equal(b)).toBe(true);
    expect(b.Truncate(new GoDuration(1_000_000_000n)).Unix()).toBe(1001n);
    expect(b.Round(new GoDuration(1_000_000_000n)).Unix()).toBe(1002n);
    expect(t.Month().String() + t.Weekday().String() + t.YearDay()).toBe('FebruaryFriday44');
  });
});

describe('POSIX TZ rules (TZif footers)', () => {
  it('evaluates northern and southern hemisphere rules', () => {
    const paris = parsePosixTz('CET-1CEST,M3.5.0,M10.5.0/3');
    expect(paris.lookup(Date.parse('2050-01-15T00:00:00Z') / 1000)).toEqual({ abbreviation: 'CET', offsetSeconds: 3600 });
    expect(paris.lookup(Date.parse('2050-07-15T00:00:00Z') / 1000)).toEqual({ abbreviation: 'CEST', offsetSeconds: 7200 });
    const sydney = parsePosixTz('AEST-10AEDT,M10.1.0,M4.1.0/3');
    expect(sydney.lookup(Date.parse('2050-01-15T00:00:00Z') / 1000).abbreviation).toBe('AEDT');
    expect(sydney.lookup(Date.parse('2050-07-15T00:00:00Z') / 1000).abbreviation).toBe('AEST');
    expect(parsePosixTz('<+0530>-5:30').lookup(0)).toEqual({ abbreviation: '+0530', offsetSeconds: 19800 });
    expect(() => parsePosixTz('X')).toThrow('malformed time zone rule');
  });
});
