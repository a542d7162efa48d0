/** `[begin, end]`, both inclusive: weekdays 0 (Sunday)–6, days of month ±1–31, months 1–12, years. */
export interface InclusiveRange {
  begin: number;
  end: number;
}

/** `[startMinute, endMinute)` minutes since midnight (`times: [{start_time, end_time}]`). */
export interface TimeRange {
  startMinute: number;
  endMinute: number;
}

/**
 * One entry of a named time interval (`timeinterval.TimeInterval`). A field that is absent does
 * not restrict; a present one must match (an empty list matches nothing, as upstream).
 * `location` is an IANA zone name (`Local` = the host's zone); times are evaluated in it.
 */
export interface TimeInterval {
  times?: TimeRange[];
  weekdays?: InclusiveRange[];
  daysOfMonth?: InclusiveRange[];
  months?: InclusiveRange[];
  years?: InclusiveRange[];
  location?: string;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  weekday: number;
  minuteOfDay: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string | undefined): Intl.DateTimeFormat {
  const key = zone ?? '';
  let f = formatters.get(key);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
    formatters.set(key, f);
  }
  return f;
}

/** Whether `name` is a time zone this runtime knows (Go's `time.LoadLocation` accepts `UTC`, `Local` and IANA names). */
export function isKnownZone(name: string): boolean {
  if (name === 'Local' || name === 'UTC' || name === '') return true;
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

function wallClock(ms: number, location: string | undefined): WallClock {
  const zone = location === undefined || location === 'UTC' || location === '' ? 'UTC' : location === 'Local' ? undefined : location;
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return { year: Number(parts['year']), month: Number(parts['month']), day: Number(parts['day']), weekday: WEEKDAYS[parts['weekday']!] ?? 0, minuteOfDay: Number(parts['hour']) * 60 + Number(parts['minute']) };
}

const within = (ranges: InclusiveRange[], v: number) => ranges.some((r) => v >= r.begin && v <= r.end);

/** `TimeInterval.ContainsTime`: whether the instant (ms since the epoch) falls inside the interval. */
export function containsTime(ti: TimeInterval, ms: number): boolean {
  const t = wallClock(ms, ti.location);
  if (ti.times !== undefined && !ti.times.some((r) => t.minuteOfDay >= r.startMinute && t.minuteOfDay < r.endMinute)) return false;
  if (ti.daysOfMonth !== undefined) {
    // Calendar days of the month (upstream 0.28 derives them from elapsed hours and gets DST
    // months one day short; its later releases count calendar days, as here).
    const daysInMonth = new Date(Date.UTC(t.year, t.month, 0)).getUTCDate();
    const inDays = ti.daysOfMonth.some((r) => {
      const begin = r.begin < 0 ? daysInMonth + r.begin + 1 : r.begin;
      const end = r.end < 0 ? daysInMonth + r.end + 1 : r.end;
      if (begin > daysInMonth) return false;
      return t.day >= Math.max(begin, -daysInMonth) && t.day <= Math.min(end, daysInMonth);
    });
    if (!inDays) return false;
  }
  if (ti.months !== undefined && !within(ti.months, t.month)) return false;
  if (ti.weekdays !== undefined && !within(ti.weekdays, t.weekday)) return false;
  if (ti.years !== undefined && !within(ti.years, t.year)) return false;
  return true;
}

/** The names among `names` whose intervals contain the instant (upstream's `Intervener.Mutes`). */
export function activeIntervals(intervals: ReadonlyMap<string, readonly TimeInterval[]>, names: readonly string[], ms: number): string[] {
  const active: string[] = [];
  for (const name of names) {
    for (const ti of intervals.get(name) ?? []) if (containsTime(ti, ms)) active.push(name);
  }
  return active;
}
