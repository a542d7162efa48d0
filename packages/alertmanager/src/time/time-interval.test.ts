import { describe, expect, it } from 'vitest';
import { activeIntervals, containsTime, type TimeInterval } from './time-interval.js';

const at = (iso: string) => Date.parse(iso);

// Cases restated from upstream's timeinterval tests (TestContainsTime, TestIntervener_Mutes).
describe('time intervals', () => {
  it.each([
    { name: 'empty interval contains everything', ti: {}, inside: ['2006-01-02T15:04:00Z', '2007-01-03T10:04:00Z'], outside: [] },
    {
      name: '9am to 5pm, Monday to Friday',
      ti: { times: [{ startMinute: 540, endMinute: 1020 }], weekdays: [{ begin: 1, end: 5 }] },
      inside: ['2020-05-04T15:04:00Z', '2020-05-05T10:04:00Z', '2020-06-09T09:04:00Z'],
      outside: ['2020-05-03T15:04:00Z', '2020-05-04T08:59:00Z', '2020-05-05T05:00:00Z'],
    },
    {
      name: 'Easter 2020',
      ti: { daysOfMonth: [{ begin: 4, end: 6 }], months: [{ begin: 4, end: 4 }], years: [{ begin: 2020, end: 2020 }] },
      inside: ['2020-04-04T15:04:00Z', '2020-04-05T00:00:00Z', '2020-04-06T23:05:00Z'],
      outside: ['2018-05-03T15:04:00Z', '2020-04-03T23:59:00Z', '2020-06-04T23:59:00Z', '2019-04-06T23:59:00Z', '2020-04-07T00:00:00Z'],
    },
    {
      name: 'the last three days of each month',
      ti: { daysOfMonth: [{ begin: -3, end: -1 }] },
      inside: ['2020-01-31T15:04:00Z', '2020-01-29T15:04:00Z', '2020-06-30T00:00:00Z', '2020-02-29T23:05:00Z'],
      outside: ['2018-05-03T15:04:00Z', '2020-01-27T15:04:00Z', '2020-03-01T00:00:00Z'],
    },
    {
      name: 'out of range days are clamped to the month',
      ti: { months: [{ begin: 6, end: 6 }], daysOfMonth: [{ begin: -31, end: 31 }] },
      inside: ['2020-06-30T00:00:00Z', '2020-06-01T00:00:00Z'],
      outside: ['2020-05-31T00:00:00Z', '2020-07-01T00:00:00Z'],
    },
    {
      name: 'working hours in Sydney',
      ti: { times: [{ startMinute: 540, endMinute: 1020 }], weekdays: [{ begin: 1, end: 5 }], location: 'Australia/Sydney' },
      inside: ['2021-04-06T13:00:00+10:00'],
      outside: ['2021-04-06T13:00:00Z'],
    },
    {
      name: 'working hours in Sydney during daylight saving',
      ti: { times: [{ startMinute: 540, endMinute: 1020 }], weekdays: [{ begin: 1, end: 5 }], months: [{ begin: 11, end: 11 }], location: 'Australia/Sydney' },
      inside: ['2021-11-01T09:00:00+11:00', '2021-10-31T22:00:00Z'],
      outside: ['2021-11-01T08:59:00+11:00'],
    },
  ])('$name', ({ ti, inside, outside }) => {
    for (const t of inside) expect(containsTime(ti as TimeInterval, at(t)), t).toBe(true);
    for (const t of outside) expect(containsTime(ti as TimeInterval, at(t)), t).toBe(false);
  });

  const eveningsAndWeekends = new Map<string, TimeInterval[]>([
    ['evenings', [{ times: [{ startMinute: 0, endMinute: 540 }, { startMinute: 1020, endMinute: 1440 }], location: 'Australia/Sydney' }]],
    ['weekends', [{ weekdays: [{ begin: 6, end: 6 }, { begin: 0, end: 0 }], location: 'Australia/Sydney' }]],
  ]);

  it.each([
    { name: 'outside working hours', now: '2024-01-01T00:00:00+11:00', mutedBy: ['evenings'] },
    { name: 'during working hours', now: '2024-01-01T09:00:00+11:00', mutedBy: [] },
    { name: 'during weekends', now: '2024-01-06T10:00:00+11:00', mutedBy: ['weekends'] },
    { name: 'during weekend evenings', now: '2024-01-06T17:00:00+11:00', mutedBy: ['evenings', 'weekends'] },
    { name: 'at 10am UTC on a weekday (evening in Sydney)', now: '2024-01-01T10:00:00Z', mutedBy: ['evenings'] },
  ])('intervals muting $name', ({ now, mutedBy }) => {
    expect(activeIntervals(eveningsAndWeekends, ['evenings', 'weekends'], at(now))).toEqual(mutedBy);
  });
});
