import { goQuote } from '@pyrometer/model';
import { functionError } from '../errors.js';
import { marshalJSON } from '../common/go-json.js';
import { matchString, mustCompileRegexp, replaceAllString } from '../common/regexp.js';
import { titleCase, toLower, toUpper, trimSpace } from '../common/strings.js';
import { humanizeDuration } from '../common/time-helpers.js';
import { templateFunction, type FuncMap } from '../engine/functions.js';
import { GoTime } from '../gotime/time.js';
import { UTC, type Zone, type ZoneLoader } from '../gotime/zone.js';
import { goTypeName, TypedString } from '../values.js';

/** What Alertmanager's functions need from their host: a clock and time zones. */
export interface AlertmanagerFunctionOptions {
  /** The current time in ms since the epoch, for `since` (injectable for tests). Default `Date.now`. */
  readonly now?: () => number;
  /** Resolves IANA zone names for `tz`; without it only `UTC` (and `Local`) are known. */
  readonly zoneLoader?: ZoneLoader;
  /** The zone `Local` stands for. Default UTC. */
  readonly localZone?: Zone;
}

/**
 * Alertmanager's template functions (`template.DefaultFuncs` of v0.28.1): `toUpper toLower title
 * trimSpace join match safeHtml reReplaceAll stringSlice date tz since humanizeDuration`, plus the
 * ones later releases added that notification authors ask for: `safeUrl urlUnescape toJson dict
 * list append`.
 */
export function alertmanagerFunctions(options: AlertmanagerFunctionOptions = {}): FuncMap {
  const now = options.now ?? Date.now;
  return {
    toUpper: templateFunction(['string'], toUpper),
    toLower: templateFunction(['string'], toLower),
    title: templateFunction(['string'], (s: string) => titleCase(s, false)),
    trimSpace: templateFunction(['string'], trimSpace),
    join: templateFunction(['string', 'strings'], (sep: string, s: readonly string[]) => s.join(sep)),
    match: templateFunction(['string', 'string'], matchString),
    safeHtml: templateFunction(['string'], (text: string) => new TypedString(text, 'template.HTML')),
    reReplaceAll: templateFunction(['string', 'string', 'string'], (pattern: string, repl: string, text: string) => replaceAllString(mustCompileRegexp(pattern), text, repl)),
    stringSlice: templateFunction([], (...s: string[]) => s, 'string'),
    date: templateFunction(['string', 'time'], (layout: string, t: GoTime) => t.Format(layout)),
    tz: templateFunction(['string', 'time'], (name: string, t: GoTime) => t.In(loadLocation(name, options))),
    since: templateFunction(['time'], (t: GoTime) => GoTime.fromMillis(now()).Sub(t)),
    humanizeDuration: templateFunction(['any'], humanizeDuration),
    safeUrl: templateFunction(['string'], (text: string) => new TypedString(text, 'template.URL')),
    urlUnescape: templateFunction(['string'], queryUnescape),
    toJson: templateFunction(['any'], marshalJSON),
    dict: templateFunction([], dict, 'any'),
    list: templateFunction([], (...args: unknown[]) => args, 'any'),
    append: templateFunction(['any'], (slice: unknown, ...args: unknown[]) => {
      if (slice !== undefined && !Array.isArray(slice)) throw functionError(`wrong type for value; expected []interface {}; got ${goTypeName(slice)}`);
      return [...(slice ?? []), ...args];
    }, 'any'),
  };
}

/** Go's `time.LoadLocation`. */
function loadLocation(name: string, options: AlertmanagerFunctionOptions): Zone {
  if (name === '' || name === 'UTC') return UTC;
  if (name === 'Local') return options.localZone ?? UTC;
  if (name.includes('..') || name.startsWith('/') || name.includes('\\')) throw functionError('time: invalid location name');
  const zone = options.zoneLoader?.(name);
  if (zone === undefined) throw functionError(`unknown time zone ${name}`);
  return zone;
}

function dict(...values: unknown[]): Record<string, unknown> {
  if (values.length % 2 !== 0) throw functionError('dict requires an even number of arguments');
  const out: Record<string, unknown> = {};
  for (let i = 0; i < values.length; i += 2) {
    const key = values[i];
    if (typeof key !== 'string') throw functionError('dict keys must be strings');
    out[key] = values[i + 1];
  }
  return out;
}

/** Go's `url.QueryUnescape`: `%XX` escapes and `+` as space; a bad escape is an error. */
function queryUnescape(s: string): string {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  const chars = [...s];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '%') {
      const hex = chars.slice(i + 1, i + 3).join('');
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw functionError(`invalid URL escape ${goQuote(chars.slice(i, i + 3).join(''))}`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c === '+') bytes.push(0x20);
    else bytes.push(...encoder.encode(c));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
