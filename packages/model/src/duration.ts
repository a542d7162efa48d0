import { goQuote } from './go-quote.js';
import { ModelError } from './errors.js';
import { parseGoFloat } from './go-float-parse.js';

const MS_PER = { y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;
type Unit = keyof typeof MS_PER;
/** Units in the only order Prometheus accepts them: largest first, each at most once. */
const UNIT_ORDER: readonly Unit[] = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
/** Go's time.Duration is int64 nanoseconds: the largest whole number of milliseconds it holds. */
const MAX_DURATION_MS = 9_223_372_036_854;

/**
 * Parses a Prometheus duration (`model.ParseDuration`): `0`, or integers with units in descending
 * order and no spaces — `y` (365d), `w`, `d`, `h`, `m`, `s`, `ms` — e.g. `1h30m`, `250ms`, `1y`.
 * Returns whole milliseconds. Throws {@link ModelError} `invalid_duration` with upstream's messages
 * (`not a valid duration string: "…"`, `unknown unit "…" in duration "…"`, `duration out of range`,
 * `empty duration string`).
 */
export function parseDuration(s: string): number {
  if (s === '0') return 0;
  if (s === '') throw new ModelError('invalid_duration', 'empty duration string');
  const invalid = () => new ModelError('invalid_duration', `not a valid duration string: ${goQuote(s)}`);
  let total = 0;
  let lastUnit = -1;
  let i = 0;
  while (i < s.length) {
    const digitsStart = i;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    if (i === digitsStart) throw invalid();
    const digits = s.slice(digitsStart, i);
    const unitStart = i;
    while (i < s.length && !isDigit(s.charCodeAt(i))) i++;
    if (i === unitStart) throw invalid();
    const unit = s.slice(unitStart, i);
    const pos = UNIT_ORDER.indexOf(unit as Unit);
    if (pos < 0) throw new ModelError('invalid_duration', `unknown unit ${goQuote(unit)} in duration ${goQuote(s)}`);
    if (pos <= lastUnit) throw invalid();
    lastUnit = pos;
    const mult = MS_PER[unit as Unit];
    // Go parses the digits as a uint64 first: beyond that the string is invalid, not out of range.
    const significant = digits.replace(/^0+(?=.)/, '');
    if (significant.length > 20 || (significant.length === 20 && significant > '18446744073709551615')) throw invalid();
    const n = Number(significant);
    if (n > MAX_DURATION_MS / mult) throw new ModelError('invalid_duration', 'duration out of range');
    total += n * mult;
    if (total > MAX_DURATION_MS) throw new ModelError('invalid_duration', 'duration out of range');
  }
  return total;
}

/**
 * Formats milliseconds as Prometheus's `model.Duration.String()`: largest units first, zero units
 * omitted, `0s` for zero, a leading `-` for negative durations. Years and weeks are used only when
 * they divide the rest exactly, so 90 days stay `90d` rather than `12w6d`: 90000 → `1m30s`,
 * 86400000 → `1d`, 604800000 → `1w`. Fractions of a millisecond are dropped.
 */
export function formatDuration(ms: number): string {
  let rest = Math.trunc(ms);
  if (rest === 0 || Number.isNaN(rest)) return '0s';
  const sign = rest < 0 ? '-' : '';
  rest = Math.abs(rest);
  let out = '';
  for (const unit of UNIT_ORDER) {
    const mult = MS_PER[unit];
    if ((unit === 'y' || unit === 'w') && rest % mult !== 0) continue;
    const v = Math.floor(rest / mult);
    if (v > 0) {
      out += `${v}${unit}`;
      rest -= v * mult;
    }
  }
  return sign + out;
}

/**
 * Parses a duration parameter of the HTTP API (`step`, `timeout`, `lookback_delta`): either a float
 * number of seconds (Go `ParseFloat` syntax, e.g. `15`, `0.5`, `1e3`) or a Prometheus duration
 * (`5m`). Returns milliseconds, which may be fractional for sub-millisecond seconds. Throws
 * {@link ModelError} `invalid_duration` naming the input, with upstream's wording.
 */
export function parseDurationOrSeconds(s: string): number {
  const seconds = parseGoFloat(s);
  if (seconds !== undefined && !Number.isNaN(seconds)) {
    const ns = seconds * 1e9;
    if (ns >= 2 ** 63 || ns < -(2 ** 63)) throw new ModelError('invalid_duration', `cannot parse ${goQuote(s)} to a valid duration. It overflows int64`);
    return seconds * 1000;
  }
  try {
    return parseDuration(s);
  } catch (err) {
    throw new ModelError('invalid_duration', `cannot parse ${goQuote(s)} to a valid duration`, { cause: err });
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
