import { parseGoFloat } from '@pyrometer/model';
import { functionError } from '../errors.js';
import { sprintf } from '../fmt/print.js';
import { quoteString } from '../fmt/quote.js';
import { floatToInt64, GoDuration } from '../gotime/duration.js';
import { GoTime } from '../gotime/time.js';
import { goTypeName } from '../values.js';

/**
 * The helpers both Prometheus and Alertmanager take from `prometheus/common/helpers/templates`:
 * `ConvertToFloat`, `FloatToTime`, `HumanizeDuration` and `HumanizeTimestamp`.
 */

/** Go's `ConvertToFloat`: float64, ints, numeric strings (`strconv.ParseFloat`) and durations (in seconds). */
export function convertToFloat(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof GoDuration) return v.Seconds();
  if (typeof v === 'string') return parseFloatStrict(v);
  throw functionError(`can't convert ${v === undefined || v === null ? '<nil>' : goTypeName(v)} to float`);
}

/** Go's `strconv.ParseFloat(s, 64)` with its error texts. */
export function parseFloatStrict(s: string): number {
  const v = parseGoFloat(s);
  if (v !== undefined) return v;
  const outOfRange = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s);
  throw functionError(`strconv.ParseFloat: parsing ${quoteString(s, false)}: ${outOfRange ? 'value out of range' : 'invalid syntax'}`);
}

/** Go's `FloatToTime`: seconds since the epoch to a UTC time at millisecond precision. */
export function floatToTime(v: number): GoTime | 'nan-or-inf' {
  if (!Number.isFinite(v)) return 'nan-or-inf';
  const ns = v * 1e9;
  if (ns > 2 ** 63 || ns < -(2 ** 63)) throw functionError(`${sprintf('%v', [v])} cannot be represented as a nanoseconds timestamp since it overflows int64`);
  const ms = floatToInt64(ns) / 1_000_000n;
  return GoTime.fromUnixNanos(ms * 1_000_000n);
}

/** Go's `HumanizeDuration`: seconds as `1d 2h 3m 4s`, `1.5s`, `100ms`, `100us`. */
export function humanizeDuration(input: unknown): string {
  let v = convertToFloat(input);
  if (!Number.isFinite(v)) return sprintf('%.4g', [v]);
  if (v === 0) return sprintf('%.4gs', [v]);
  if (Math.abs(v) >= 1) {
    let sign = '';
    if (v < 0) {
      sign = '-';
      v = -v;
    }
    const duration = floatToInt64(v);
    const seconds = duration % 60n;
    const minutes = (duration / 60n) % 60n;
    const hours = (duration / 3600n) % 24n;
    const days = duration / 86400n;
    if (days !== 0n) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0n) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0n) return `${sign}${minutes}m ${seconds}s`;
    return sprintf('%s%.4gs', [sign, v]);
  }
  const [scaled, prefix] = scaleBelowOne(v);
  return sprintf('%.4g%ss', [scaled, prefix]);
}

/** Multiplies a value below 1 by 1000 until it is not, naming the SI prefix reached (m u n p f a z y). */
export function scaleBelowOne(value: number): [number, string] {
  let v = value;
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return [v, prefix];
}

/** Go's `HumanizeTimestamp`: seconds since the epoch printed as a UTC time. */
export function humanizeTimestamp(input: unknown): string {
  const v = convertToFloat(input);
  const t = floatToTime(v);
  if (t === 'nan-or-inf') return sprintf('%.4g', [v]);
  return t.String();
}
