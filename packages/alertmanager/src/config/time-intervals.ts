import type { YamlReader, YNode } from '@pyrometer/config';
import { isKnownZone, type InclusiveRange, type TimeInterval, type TimeRange } from '../time/time-interval.js';
import { custom, emitStruct, readStruct, schema, str, type Field } from './schema.js';
import type { YamlValue } from './yaml-emit.js';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Go's `strconv.Atoi` error text, as the range parsers report it. */
function atoi(s: string): number | string {
  return /^[+-]?\d+$/.test(s) ? Number(s) : `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`;
}

type Member = (s: string) => number | string;

function parseRange(input: string, member: Member): InclusiveRange | string {
  const s = input.toLowerCase();
  const parts = s.includes(':') ? s.split(':') : [s, s];
  if (parts.length !== 2) return `couldn't parse range ${s}, invalid format`;
  const begin = member(parts[0]!);
  if (typeof begin === 'string') return begin;
  const end = member(parts[1]!);
  if (typeof end === 'string') return end;
  return { begin, end };
}

const weekday: Member = (s) => (WEEKDAYS.includes(s) ? WEEKDAYS.indexOf(s) : `${s} is not a valid weekday`);
const month: Member = (s) => {
  if (MONTHS.includes(s)) return MONTHS.indexOf(s) + 1;
  const n = atoi(s);
  return typeof n === 'number' ? n : `${s} is not a valid month`;
};

function checkWeekdays(r: InclusiveRange, text: string): string | undefined {
  if (r.begin > r.end) return 'start day cannot be before end day';
  if (r.begin < 0 || r.begin > 6 || r.end < 0 || r.end > 6) return `${text} is not a valid day of the week: out of range`;
  return undefined;
}

function checkDaysOfMonth(r: InclusiveRange): string | undefined {
  for (const d of [r.begin, r.end]) if (d === 0 || d < -31 || d > 31) return `${d} is not a valid day of the month: out of range`;
  if (r.begin < 0 && r.end > 0) return 'end day must be negative if start day is negative';
  const b = r.begin < 0 ? 28 + r.begin : r.begin;
  const e = r.end < 0 ? 28 + r.end : r.end;
  return b > e ? `end day ${r.end} is always before start day ${r.begin}` : undefined;
}

function checkMonths(r: InclusiveRange): string | undefined {
  return r.begin > r.end ? `end month ${MONTHS[r.end - 1] ?? ''} is before start month ${MONTHS[r.begin - 1] ?? ''}` : undefined;
}

function checkYears(r: InclusiveRange): string | undefined {
  return r.begin > r.end ? `end year ${r.end} is before start year ${r.begin}` : undefined;
}

const formatInclusive = (r: InclusiveRange) => (r.begin === r.end ? String(r.begin) : `${r.begin}:${r.end}`);
const formatWeekdays = (r: InclusiveRange) => (r.begin === r.end ? WEEKDAYS[r.begin]! : `${WEEKDAYS[r.begin]}:${WEEKDAYS[r.end]}`);

function rangeList(key: string, member: Member, check: (r: InclusiveRange, text: string) => string | undefined, format: (r: InclusiveRange) => string): Field<InclusiveRange[] | undefined> {
  return custom(
    key,
    () => undefined,
    (r, n) => {
      if (r.isNull(n)) return undefined;
      return r.list(n, key, (item) => {
        const text = r.string(item, key);
        const range = parseRange(text, member);
        const problem = typeof range === 'string' ? range : check(range, text);
        if (problem !== undefined) throw r.error(item, problem);
        return range as InclusiveRange;
      });
    },
    (v) => (v === undefined || v.length === 0 ? undefined : { seq: v.map(format), flow: true }),
  );
}

const VALID_TIME = /^((([01][0-9])|(2[0-3])):[0-5][0-9])$|(^24:00$)/;

function parseClock(r: YamlReader, n: YNode, s: string): number {
  if (!VALID_TIME.test(s)) throw r.error(n, `couldn't parse timestamp ${s}, invalid format`);
  const [h, m] = s.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

function readTimeRange(r: YamlReader, n: YNode): TimeRange {
  let start = '';
  let end = '';
  r.struct(n, 'timeinterval.yamlTimeRange', { start_time: (v) => (start = r.string(v, 'start_time')), end_time: (v) => (end = r.string(v, 'end_time')) });
  if (start === '' || end === '') throw r.error(n, 'both start and end times must be provided');
  const startMinute = parseClock(r, n, start);
  const endMinute = parseClock(r, n, end);
  if (startMinute >= endMinute) throw r.error(n, 'start time cannot be equal or greater than end time');
  return { startMinute, endMinute };
}

const timeIntervalFields = {
  times: custom<TimeRange[] | undefined>(
    'times',
    () => undefined,
    (r, n) => (r.isNull(n) ? undefined : r.list(n, 'times', (item) => readTimeRange(r, item))),
    (v) => (v === undefined || v.length === 0 ? undefined : { seq: v.map((t): YamlValue => ({ map: [['start_time', clock(t.startMinute)], ['end_time', clock(t.endMinute)]] })) }),
  ),
  weekdays: rangeList('weekdays', weekday, checkWeekdays, formatWeekdays),
  daysOfMonth: rangeList('days_of_month', atoi, checkDaysOfMonth, formatInclusive),
  months: rangeList('months', month, checkMonths, formatInclusive),
  years: rangeList('years', atoi, checkYears, formatInclusive),
  location: custom<string | undefined>(
    'location',
    () => undefined,
    (r, n) => {
      if (r.isNull(n)) return undefined;
      const name = r.string(n, 'location');
      if (!isKnownZone(name)) throw r.error(n, `unknown time zone ${name}`);
      return name === '' ? 'UTC' : name;
    },
    (v) => v,
  ),
};

/** One `time_intervals` entry (`timeinterval.TimeInterval`). */
export const timeIntervalSchema = schema('timeinterval.TimeInterval', timeIntervalFields);

/** A named interval list (`time_intervals:` / deprecated `mute_time_intervals:` entries). */
export interface NamedTimeInterval {
  name: string;
  timeIntervals: TimeInterval[];
}

export function namedTimeIntervalSchema(what: 'time interval' | 'mute time interval') {
  return schema(
    'config.plain',
    {
      name: str('name'),
      timeIntervals: custom<TimeInterval[]>(
        'time_intervals',
        () => [],
        (r, n) => r.list(n, 'time_intervals', (item) => stripUndefined(readInterval(r, item))),
        (v) => ({ seq: v.map((ti) => emitInterval(ti)) }),
      ),
    },
    (v, r, node) => {
      if (v.name === '') throw r.error(node, `missing name in ${what}`);
    },
  );
}


function readInterval(r: YamlReader, n: YNode): TimeInterval {
  return readStruct(r, n, timeIntervalSchema) as TimeInterval;
}

function emitInterval(ti: TimeInterval): YamlValue {
  return emitStruct(timeIntervalSchema, { times: ti.times, weekdays: ti.weekdays, daysOfMonth: ti.daysOfMonth, months: ti.months, years: ti.years, location: ti.location });
}

function stripUndefined(ti: TimeInterval): TimeInterval {
  const out: TimeInterval = {};
  for (const [k, v] of Object.entries(ti)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
