import { GO_METHODS, GO_TYPE, type IntLike } from '../values.js';

const NANOSECOND = 1n;
const MICROSECOND = 1000n * NANOSECOND;
const MILLISECOND = 1000n * MICROSECOND;
const SECOND = 1000n * MILLISECOND;
const MINUTE = 60n * SECOND;
const HOUR = 60n * MINUTE;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's float64 to int64 conversion; out-of-range values and NaN give the minimum int64, as on amd64. */
export function floatToInt64(v: number): bigint {
  if (!Number.isFinite(v) || v >= 2 ** 63 || v < -(2 ** 63)) return INT64_MIN;
  return BigInt(Math.trunc(v));
}

/**
 * Go's `time.Duration`: int64 nanoseconds, held exactly as a bigint. Templates see it as an integer
 * of a named type that prints through `String()` (`1h30m0s`, `1.5s`, `100ms`), with Go's methods.
 */
export class GoDuration implements IntLike {
  static readonly [GO_TYPE] = 'time.Duration';
  static readonly [GO_METHODS] = { Round: { params: ['duration'] }, Truncate: { params: ['duration'] } };

  readonly nanos: bigint;

  constructor(nanos: bigint) {
    this.nanos = BigInt.asIntN(64, nanos);
  }

  /** A duration from float seconds: Go's `time.Duration(v * 1e9)`, out-of-range values as on amd64. */
  static fromSeconds(seconds: number): GoDuration {
    return new GoDuration(floatToInt64(seconds * 1e9));
  }

  goInt(): bigint {
    return this.nanos;
  }

  String(): string {
    return formatDuration(this.nanos);
  }

  toString(): string {
    return this.String();
  }

  Nanoseconds(): bigint {
    return this.nanos;
  }

  Microseconds(): bigint {
    return this.nanos / MICROSECOND;
  }

  Milliseconds(): bigint {
    return this.nanos / MILLISECOND;
  }

  Seconds(): number {
    return wholeAndFraction(this.nanos, SECOND);
  }

  Minutes(): number {
    return wholeAndFraction(this.nanos, MINUTE);
  }

  Hours(): number {
    return wholeAndFraction(this.nanos, HOUR);
  }

  Abs(): GoDuration {
    if (this.nanos >= 0n) return this;
    return new GoDuration(this.nanos === INT64_MIN ? INT64_MAX : -this.nanos);
  }

  Truncate(m: GoDuration): GoDuration {
    if (m.nanos <= 0n) return this;
    return new GoDuration(this.nanos - (this.nanos % m.nanos));
  }

  Round(m: GoDuration): GoDuration {
    if (m.nanos <= 0n) return this;
    let r = this.nanos % m.nanos;
    if (this.nanos < 0n) {
      r = -r;
      if (r + r < m.nanos) return new GoDuration(this.nanos + r);
      const d1 = this.nanos - m.nanos + r;
      return d1 < this.nanos ? new GoDuration(d1) : new GoDuration(INT64_MIN);
    }
    if (r + r < m.nanos) return new GoDuration(this.nanos - r);
    const d1 = this.nanos + m.nanos - r;
    return d1 > this.nanos ? new GoDuration(d1) : new GoDuration(INT64_MAX);
  }
}

/** Go's `Duration.Seconds()` style: whole units plus the fraction, each converted separately. */
function wholeAndFraction(nanos: bigint, unit: bigint): number {
  const whole = nanos / unit;
  const rest = nanos % unit;
  return Number(whole) + Number(rest) / Number(unit);
}

/** Go's `Duration.String()`. */
export function formatDuration(d: bigint): string {
  const negative = d < 0n;
  const u = negative ? -d : d;
  let out: string;
  if (u === 0n) return '0s';
  if (u < MICROSECOND) out = `${u}ns`;
  else if (u < MILLISECOND) out = `${u / MICROSECOND}${fractionPart(u % MICROSECOND, 3)}µs`;
  else if (u < SECOND) out = `${u / MILLISECOND}${fractionPart(u % MILLISECOND, 6)}ms`;
  else {
    const seconds = u / SECOND;
    out = `${seconds % 60n}${fractionPart(u % SECOND, 9)}s`;
    const minutes = seconds / 60n;
    if (minutes > 0n) {
      out = `${minutes % 60n}m${out}`;
      const hours = minutes / 60n;
      if (hours > 0n) out = `${hours}h${out}`;
    }
  }
  return negative ? '-' + out : out;
}

/** `.ddd` for `rest / 10**digits`, trailing zeros dropped; empty when `rest` is zero. */
function fractionPart(rest: bigint, digits: number): string {
  const text = String(rest).padStart(digits, '0').replace(/0+$/, '');
  return text === '' ? '' : '.' + text;
}
