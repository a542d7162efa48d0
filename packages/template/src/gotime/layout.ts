/**
 * Go's reference-time layouts (`2006-01-02 15:04:05.999999999 -0700 MST`): the same element table
 * and the same longest-match rules as `time.Format`, applied to broken-down civil time.
 */

/** Civil time in some zone, the input of {@link formatLayout}. */
export interface CivilTime {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly nanosecond: number;
  readonly weekday: number; // 0 = Sunday
  readonly yearDay: number; // 1-366
  readonly offsetSeconds: number;
  readonly zoneAbbreviation: string;
}

export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type Element =
  | 'LongMonth' | 'Month' | 'NumMonth' | 'ZeroMonth' | 'LongWeekDay' | 'WeekDay' | 'Day' | 'UnderDay' | 'ZeroDay'
  | 'UnderYearDay' | 'ZeroYearDay' | 'Hour' | 'Hour12' | 'ZeroHour12' | 'Minute' | 'ZeroMinute' | 'Second' | 'ZeroSecond'
  | 'LongYear' | 'Year' | 'PM' | 'pm' | 'TZ' | 'ISO8601TZ' | 'ISO8601SecondsTZ' | 'ISO8601ShortTZ' | 'ISO8601ColonTZ'
  | 'ISO8601ColonSecondsTZ' | 'NumTZ' | 'NumSecondsTz' | 'NumShortTZ' | 'NumColonTZ' | 'NumColonSecondsTZ';

interface Chunk {
  readonly prefix: string;
  readonly element: Element | { frac: '0' | '9'; digits: number; separator: string } | undefined;
  readonly suffix: string;
}

const ZERO_ELEMENTS: readonly Element[] = ['ZeroMonth', 'ZeroDay', 'ZeroHour12', 'ZeroMinute', 'ZeroSecond', 'Year'];
const TZ_PATTERNS: readonly [string, Element][] = [
  ['-070000', 'NumSecondsTz'], ['-07:00:00', 'NumColonSecondsTZ'], ['-0700', 'NumTZ'], ['-07:00', 'NumColonTZ'], ['-07', 'NumShortTZ'],
  ['Z070000', 'ISO8601SecondsTZ'], ['Z07:00:00', 'ISO8601ColonSecondsTZ'], ['Z0700', 'ISO8601TZ'], ['Z07:00', 'ISO8601ColonTZ'], ['Z07', 'ISO8601ShortTZ'],
];

/** Go's `nextStdChunk`: the text before the first layout element, the element, and the rest. */
function nextChunk(layout: string): Chunk {
  const at = (i: number, s: string) => layout.startsWith(s, i);
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i]!;
    const cut = (element: Chunk['element'], length: number, prefixEnd = i): Chunk => ({ prefix: layout.slice(0, prefixEnd), element, suffix: layout.slice(i + length) });
    switch (c) {
      case 'J':
        if (at(i, 'January')) return cut('LongMonth', 7);
        if (at(i, 'Jan') && !startsWithLower(layout, i + 3)) return cut('Month', 3);
        break;
      case 'M':
        if (at(i, 'Monday')) return cut('LongWeekDay', 6);
        if (at(i, 'Mon') && !startsWithLower(layout, i + 3)) return cut('WeekDay', 3);
        if (at(i, 'MST')) return cut('TZ', 3);
        break;
      case '0': {
        const next = layout[i + 1];
        if (next !== undefined && next >= '1' && next <= '6') return cut(ZERO_ELEMENTS[Number(next) - 1], 2);
        if (at(i, '002')) return cut('ZeroYearDay', 3);
        break;
      }
      case '1':
        return at(i, '15') ? cut('Hour', 2) : cut('NumMonth', 1);
      case '2':
        return at(i, '2006') ? cut('LongYear', 4) : cut('Day', 1);
      case '_':
        if (layout[i + 1] === '2') {
          if (at(i + 1, '2006')) return { prefix: layout.slice(0, i + 1), element: 'LongYear', suffix: layout.slice(i + 5) };
          return cut('UnderDay', 2);
        }
        if (at(i, '__2')) return cut('UnderYearDay', 3);
        break;
      case '3':
        return cut('Hour12', 1);
      case '4':
        return cut('Minute', 1);
      case '5':
        return cut('Second', 1);
      case 'P':
        if (layout[i + 1] === 'M') return cut('PM', 2);
        break;
      case 'p':
        if (layout[i + 1] === 'm') return cut('pm', 2);
        break;
      case '-':
      case 'Z':
        for (const [pattern, element] of TZ_PATTERNS) if (at(i, pattern)) return cut(element, pattern.length);
        break;
      case '.':
      case ',': {
        const digit = layout[i + 1];
        if (digit === '0' || digit === '9') {
          let j = i + 1;
          while (layout[j] === digit) j++;
          if (!isDigit(layout[j])) return cut({ frac: digit, digits: j - (i + 1), separator: c }, j - i);
        }
        break;
      }
    }
  }
  return { prefix: layout, element: undefined, suffix: '' };
}

/** Formats civil time with a Go layout string. */
export function formatLayout(t: CivilTime, layout: string): string {
  let out = '';
  let rest = layout;
  for (;;) {
    const { prefix, element, suffix } = nextChunk(rest);
    out += prefix;
    if (element === undefined) return out;
    rest = suffix;
    out += typeof element === 'object' ? fraction(t.nanosecond, element) : formatElement(t, element);
  }
}

function formatElement(t: CivilTime, e: Element): string {
  switch (e) {
    case 'Year': return pad(Math.abs(t.year % 100), 2);
    case 'LongYear': return t.year < 0 ? '-' + pad(-t.year, 4) : pad(t.year, 4);
    case 'Month': return MONTH_NAMES[t.month - 1]!.slice(0, 3);
    case 'LongMonth': return MONTH_NAMES[t.month - 1]!;
    case 'NumMonth': return String(t.month);
    case 'ZeroMonth': return pad(t.month, 2);
    case 'WeekDay': return WEEKDAY_NAMES[t.weekday]!.slice(0, 3);
    case 'LongWeekDay': return WEEKDAY_NAMES[t.weekday]!;
    case 'Day': return String(t.day);
    case 'UnderDay': return t.day < 10 ? ' ' + t.day : String(t.day);
    case 'ZeroDay': return pad(t.day, 2);
    case 'UnderYearDay': return String(t.yearDay).padStart(3, ' ');
    case 'ZeroYearDay': return pad(t.yearDay, 3);
    case 'Hour': return pad(t.hour, 2);
    case 'Hour12': return String(t.hour % 12 === 0 ? 12 : t.hour % 12);
    case 'ZeroHour12': return pad(t.hour % 12 === 0 ? 12 : t.hour % 12, 2);
    case 'Minute': return String(t.minute);
    case 'ZeroMinute': return pad(t.minute, 2);
    case 'Second': return String(t.second);
    case 'ZeroSecond': return pad(t.second, 2);
    case 'PM': return t.hour >= 12 ? 'PM' : 'AM';
    case 'pm': return t.hour >= 12 ? 'pm' : 'am';
    case 'TZ':
      if (t.zoneAbbreviation !== '') return t.zoneAbbreviation;
      return numericZone(t.offsetSeconds, false, false, false);
    default:
      return formatNumericZone(t.offsetSeconds, e);
  }
}

function formatNumericZone(offset: number, e: Element): string {
  if (offset === 0 && e.startsWith('ISO8601')) return 'Z';
  const colon = e.includes('Colon');
  const short = e.endsWith('ShortTZ');
  const seconds = e.includes('Seconds');
  return numericZone(offset, colon, short, seconds);
}

function numericZone(offset: number, colon: boolean, short: boolean, seconds: boolean): string {
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const minutes = Math.trunc(abs / 60);
  let out = sign + pad(Math.trunc(minutes / 60), 2);
  if (!short) out += (colon ? ':' : '') + pad(minutes % 60, 2);
  if (seconds) out += (colon ? ':' : '') + pad(abs % 60, 2);
  return out;
}

function fraction(nanosecond: number, spec: { frac: '0' | '9'; digits: number; separator: string }): string {
  let digits = pad(nanosecond, 9).slice(0, Math.min(spec.digits, 9));
  if (spec.frac === '9') {
    digits = digits.replace(/0+$/, '');
    if (digits === '') return '';
  }
  return spec.separator + digits;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function startsWithLower(s: string, i: number): boolean {
  const c = s[i];
  return c !== undefined && c >= 'a' && c <= 'z';
}
