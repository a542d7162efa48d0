import type { ZoneInfo } from './zone.js';

/** A POSIX TZ rule such as `CET-1CEST,M3.5.0,M10.5.0/3`: what TZif footers carry for the future. */
export interface PosixTz {
  lookup(unixSeconds: number): ZoneInfo;
}

type DayRule = { kind: 'julian'; day: number } | { kind: 'doy'; day: number } | { kind: 'mwd'; month: number; week: number; weekday: number };
interface TransitionRule {
  readonly day: DayRule;
  /** Seconds after local midnight (may be negative or beyond a day in TZif v3). */
  readonly time: number;
}

const DAY = 86400;

/**
 * Parses a POSIX TZ string (`std offset [dst [offset] [,start[/time],end[/time]]]`, with `<…>`
 * quoted names) and evaluates it as Go's `tzset` does. Throws an Error when the string is malformed.
 */
export function parsePosixTz(text: string): PosixTz {
  const p = { s: text, i: 0 };
  const stdName = readName(p);
  const stdOffset = -readOffset(p);
  if (p.i >= p.s.length) return fixed({ abbreviation: stdName, offsetSeconds: stdOffset });
  const dstName = readName(p);
  let dstOffset = stdOffset + 3600;
  if (p.i < p.s.length && p.s[p.i] !== ',') dstOffset = -readOffset(p);
  let start: TransitionRule = { day: { kind: 'mwd', month: 3, week: 2, weekday: 0 }, time: 7200 };
  let end: TransitionRule = { day: { kind: 'mwd', month: 11, week: 1, weekday: 0 }, time: 7200 };
  if (p.i < p.s.length) {
    expect(p, ',');
    start = readRule(p);
    expect(p, ',');
    end = readRule(p);
  }
  if (p.i !== p.s.length) throw new Error(`malformed time zone rule ${JSON.stringify(text)}`);
  const std: ZoneInfo = { abbreviation: stdName, offsetSeconds: stdOffset };
  const dst: ZoneInfo = { abbreviation: dstName, offsetSeconds: dstOffset };
  return {
    lookup(unixSeconds: number): ZoneInfo {
      const year = new Date(unixSeconds * 1000).getUTCFullYear();
      const yearStart = Date.UTC(year, 0, 1) / 1000;
      const intoYear = unixSeconds - yearStart;
      const startSec = ruleTime(year, start, stdOffset);
      const endSec = ruleTime(year, end, dstOffset);
      if (endSec < startSec) return intoYear >= endSec && intoYear < startSec ? std : dst;
      return intoYear >= startSec && intoYear < endSec ? dst : std;
    },
  };
}

function fixed(info: ZoneInfo): PosixTz {
  return { lookup: () => info };
}

/** Seconds from the start of `year` (UTC) to the transition, Go's `tzruleTime`. */
function ruleTime(year: number, rule: TransitionRule, offset: number): number {
  let day: number;
  const d = rule.day;
  if (d.kind === 'julian') day = d.day - 1 + (isLeap(year) && d.day >= 60 ? 1 : 0);
  else if (d.kind === 'doy') day = d.day;
  else {
    const firstWeekday = new Date(Date.UTC(year, d.month - 1, 1)).getUTCDay();
    let dom = d.weekday - firstWeekday;
    if (dom < 0) dom += 7;
    const daysInMonth = new Date(Date.UTC(year, d.month, 0)).getUTCDate();
    for (let w = 1; w < d.week && dom + 7 < daysInMonth; w++) dom += 7;
    day = (Date.UTC(year, d.month - 1, 1) - Date.UTC(year, 0, 1)) / 86400000 + dom;
  }
  return day * DAY + rule.time - offset;
}

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

interface Cursor {
  readonly s: string;
  i: number;
}

function readName(p: Cursor): string {
  if (p.s[p.i] === '<') {
    const end = p.s.indexOf('>', p.i);
    if (end < 0) throw new Error(`malformed time zone rule ${JSON.stringify(p.s)}`);
    const name = p.s.slice(p.i + 1, end);
    p.i = end + 1;
    return name;
  }
  const start = p.i;
  while (p.i < p.s.length && /[A-Za-z]/.test(p.s[p.i]!)) p.i++;
  if (p.i - start < 3) throw new Error(`malformed time zone rule ${JSON.stringify(p.s)}`);
  return p.s.slice(start, p.i);
}

/** `[+-]hh[:mm[:ss]]` in seconds (POSIX sign: positive means west of Greenwich). */
function readOffset(p: Cursor): number {
  let sign = 1;
  if (p.s[p.i] === '+' || p.s[p.i] === '-') {
    sign = p.s[p.i] === '-' ? -1 : 1;
    p.i++;
  }
  const m = /^(\d{1,3})(?::(\d{1,2}))?(?::(\d{1,2}))?/.exec(p.s.slice(p.i));
  if (m === null) throw new Error(`malformed time zone rule ${JSON.stringify(p.s)}`);
  p.i += m[0].length;
  return sign * (Number(m[1]) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0));
}

function readRule(p: Cursor): TransitionRule {
  let day: DayRule;
  const rest = p.s.slice(p.i);
  let m: RegExpExecArray | null;
  if ((m = /^J(\d{1,3})/.exec(rest)) !== null) day = { kind: 'julian', day: Number(m[1]) };
  else if ((m = /^M(\d{1,2})\.(\d)\.(\d)/.exec(rest)) !== null) day = { kind: 'mwd', month: Number(m[1]), week: Number(m[2]), weekday: Number(m[3]) };
  else if ((m = /^(\d{1,3})/.exec(rest)) !== null) day = { kind: 'doy', day: Number(m[1]) };
  else throw new Error(`malformed time zone rule ${JSON.stringify(p.s)}`);
  p.i += m[0].length;
  let time = 7200;
  if (p.s[p.i] === '/') {
    p.i++;
    time = readOffset(p);
  }
  return { day, time };
}

function expect(p: Cursor, ch: string): void {
  if (p.s[p.i] !== ch) throw new Error(`malformed time zone rule ${JSON.stringify(p.s)}`);
  p.i++;
}
