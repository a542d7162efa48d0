import { goQuote, parseDurationOrSeconds, parseGoFloat } from '@pyrometer/model';
import { ApiError, ErrorType } from './error-type.js';

/**
 * The earliest and latest times the API accepts, in ms. Upstream's MinTime/MaxTime lie near ±2^63
 * ns; we clamp to JavaScript's exactly representable integers (±285,000 years), which covers every
 * real timestamp and keeps arithmetic on bounds exact.
 */
export const MIN_TIME_MS = -Number.MAX_SAFE_INTEGER;
export const MAX_TIME_MS = Number.MAX_SAFE_INTEGER;

// What clients send for open bounds: upstream's MinTime and MaxTime formatted as RFC3339.
const MIN_TIME_TEXT = '-292273086-05-16T16:47:06Z';
const MAX_TIME_TEXT = '292277025-08-18T07:12:54.999999999Z';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses a time parameter as upstream's `parseTime`: float Unix seconds (rounded to the
 * millisecond) or RFC3339 with optional fraction, plus the MinTime/MaxTime strings. Returns ms.
 * Throws an `ApiError` (bad_data) with upstream's message.
 */
export function parseTimeParam(s: string): number {
  const seconds = parseGoFloat(s);
  if (seconds !== undefined && Number.isFinite(seconds)) {
    const whole = Math.trunc(seconds);
    return clamp(whole * 1000 + Math.round((seconds - whole) * 1000));
  }
  const m = RFC3339.exec(s);
  if (m) {
    const [, y, mo, d, h, mi, sec, frac, zone] = m;
    let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
    if (frac !== undefined) ms += Math.trunc(Number(`0${frac}`) * 1000 + 1e-9);
    if (zone !== 'Z') {
      const sign = zone!.startsWith('-') ? -1 : 1;
      ms -= sign * (Number(zone!.slice(1, 3)) * 60 + Number(zone!.slice(4, 6))) * 60_000;
    }
    if (Number.isFinite(ms) && Number(mo) >= 1 && Number(mo) <= 12 && Number(d) >= 1 && Number(d) <= 31) return ms;
  }
  if (s === MIN_TIME_TEXT) return MIN_TIME_MS;
  if (s === MAX_TIME_TEXT) return MAX_TIME_MS;
  throw new ApiError(ErrorType.BadData, `cannot parse ${goQuote(s)} to a valid timestamp`);
}

/** Parses a duration parameter (float seconds or a Prometheus duration) into ms; bad_data on failure. */
export function parseDurationParam(s: string): number {
  try {
    return parseDurationOrSeconds(s);
  } catch (err) {
    throw new ApiError(ErrorType.BadData, (err as Error).message, { cause: err });
  }
}

/**
 * Reads an optional time parameter, prefixing errors with upstream's `invalid parameter "<name>"`
 * wording, and falling back to `fallback` when absent or empty.
 */
export function timeParam(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  try {
    return parseTimeParam(value);
  } catch (err) {
    throw new ApiError(ErrorType.BadData, `invalid parameter ${goQuote(name)}: ${(err as Error).message}`, { cause: err });
  }
}

/** Reads `limit`: a non-negative integer, 0 (or absent) meaning no limit. */
export function limitParam(value: string | undefined): number {
  if (value === undefined || value === '') return 0;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new ApiError(ErrorType.BadData, `invalid parameter "limit": cannot parse ${goQuote(value)}: must be a non-negative integer`);
  return n;
}

function clamp(ms: number): number {
  return Math.min(MAX_TIME_MS, Math.max(MIN_TIME_MS, ms));
}
