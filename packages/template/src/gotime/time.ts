import { GO_METHODS, GO_TYPE, type IntLike } from '../values.js';
import { GoDuration } from './duration.js';
import { formatLayout, MONTH_NAMES, WEEKDAY_NAMES, type CivilTime } from './layout.js';
import { fixedZone, UTC, type Zone } from './zone.js';

const NANOS_PER_SECOND = 1_000_000_000n;
/** Unix seconds of Go's zero time, January 1, year 1, 00:00:00 UTC. */
const ZERO_TIME_UNIX = -62135596800;
/** Unix seconds of January 1, 10000, 00:00:00 UTC (where ISO dates stop having four digits). */
const MAX_FOUR_DIGIT_YEAR_UNIX = 253402300800;

/**
 * Go's `time.Time`: an instant with nanosecond precision (`unixSeconds` + `nanos`) in a zone. It
 * prints as Go prints a time (`2024-01-01 08:15:30 +0000 UTC`) and offers Go's methods to
 * templates (`Format`, `Unix`, `UnixMilli`, `Add`, `Sub`, `UTC`, `In`, `Year`, …).
 */
export class GoTime {
  static readonly [GO_TYPE] = 'time.Time';
  static readonly [GO_METHODS] = {
    Format: { params: ['string'] },
    Add: { params: ['duration'] },
    Sub: { params: ['time'] },
    Before: { params: ['time'] },
    After: { params: ['time'] },
    Equal: { params: ['time'] },
    Compare: { params: ['time'] },
    Truncate: { params: ['duration'] },
    Round: { params: ['duration'] },
  };

  private constructor(
    readonly unixSeconds: number,
    readonly nanos: number,
    readonly zone: Zone,
  ) {}

  /** Seconds and nanoseconds since the Unix epoch; nanoseconds are normalised into 0..999999999. */
  static fromUnix(seconds: number, nanos = 0, zone: Zone = UTC): GoTime {
    const carry = Math.floor(nanos / 1e9);
    return new GoTime(seconds + carry, nanos - carry * 1e9, zone);
  }

  static fromUnixNanos(nanos: bigint, zone: Zone = UTC): GoTime {
    let seconds = nanos / NANOS_PER_SECOND;
    let rest = nanos % NANOS_PER_SECOND;
    if (rest < 0n) {
      rest += NANOS_PER_SECOND;
      seconds -= 1n;
    }
    return new GoTime(Number(seconds), Number(rest), zone);
  }

  static fromMillis(ms: number, zone: Zone = UTC): GoTime {
    const seconds = Math.floor(ms / 1000);
    return new GoTime(seconds, Math.round((ms - seconds * 1000) * 1e6), zone);
  }

  static fromDate(d: Date, zone: Zone = UTC): GoTime {
    return GoTime.fromMillis(d.getTime(), zone);
  }

  /** Go's zero `time.Time` (year 1, UTC), which Alertmanager uses for an unset `EndsAt`. */
  static zero(): GoTime {
    return new GoTime(ZERO_TIME_UNIX, 0, UTC);
  }

  /**
   * Parses RFC 3339 with optional fractional seconds (`2024-01-01T08:15:30.5Z`,
   * `…+01:00`), keeping nanoseconds and the offset (as a fixed zone, as Go does). Returns
   * undefined when `s` is not such a timestamp.
   */
  static parseRFC3339(s: string): GoTime | undefined {
    const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/.exec(s);
    if (m === null) return undefined;
    const [, y, mo, d, h, mi, sec, frac = '', z, sign, oh, om] = m;
    const civilMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
    const check = new Date(civilMs);
    if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return undefined;
    const offset = z !== undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60);
    const unix = Math.floor(civilMs / 1000) - offset;
    const nanos = Number(frac.padEnd(9, '0'));
    const zone = z !== undefined ? UTC : fixedZone('', offset);
    return new GoTime(unix, nanos, zone);
  }

  /** Milliseconds since the epoch (sub-millisecond digits dropped), for JavaScript `Date`s. */
  toMillis(): number {
    return this.unixSeconds * 1000 + Math.floor(this.nanos / 1e6);
  }

  /** RFC 3339 with nanoseconds, as Go's JSON encoding writes a time (`0001-01-01T00:00:00Z`). */
  toJSON(): string {
    // UTC in years 1–9999 (every alert time): Date's ISO form without its milliseconds, then the
    // nanoseconds with trailing zeros dropped — what the layout below writes, without interpreting it.
    if (this.zone === UTC && this.unixSeconds >= ZERO_TIME_UNIX && this.unixSeconds < MAX_FOUR_DIGIT_YEAR_UNIX) {
      const date = new Date(this.unixSeconds * 1000).toISOString().slice(0, 19);
      return this.nanos === 0 ? `${date}Z` : `${date}.${String(this.nanos).padStart(9, '0').replace(/0+$/, '')}Z`;
    }
    return this.Format('2006-01-02T15:04:05.999999999Z07:00');
  }

  toString(): string {
    return this.String();
  }

  // --- Go methods ---

  String(): string {
    return this.Format('2006-01-02 15:04:05.999999999 -0700 MST');
  }

  Format(layout: string): string {
    return formatLayout(this.civil(), layout);
  }

  Unix(): bigint {
    return BigInt(this.unixSeconds);
  }

  UnixMilli(): bigint {
    return BigInt(this.unixSeconds) * 1000n + BigInt(Math.floor(this.nanos / 1e6));
  }

  UnixMicro(): bigint {
    return BigInt(this.unixSeconds) * 1_000_000n + BigInt(Math.floor(this.nanos / 1e3));
  }

  UnixNano(): bigint {
    return BigInt(this.unixSeconds) * NANOS_PER_SECOND + BigInt(this.nanos);
  }

  UTC(): GoTime {
    return new GoTime(this.unixSeconds, this.nanos, UTC);
  }

  /** The same instant in another zone (used by Alertmanager's `tz`). */
  In(zone: Zone): GoTime {
    return new GoTime(this.unixSeconds, this.nanos, zone);
  }

  IsZero(): boolean {
    return this.unixSeconds === ZERO_TIME_UNIX && this.nanos === 0;
  }

  Add(d: GoDuration): GoTime {
    return GoTime.fromUnixNanos(this.UnixNano() + d.nanos, this.zone);
  }

  Sub(u: GoTime): GoDuration {
    return new GoDuration(clampInt64(this.UnixNano() - u.UnixNano()));
  }

  Before(u: GoTime): boolean {
    return this.UnixNano() < u.UnixNano();
  }

  After(u: GoTime): boolean {
    return this.UnixNano() > u.UnixNano();
  }

  Equal(u: GoTime): boolean {
    return this.UnixNano() === u.UnixNano();
  }

  Compare(u: GoTime): bigint {
    const a = this.UnixNano();
    const b = u.UnixNano();
    return a < b ? -1n : a > b ? 1n : 0n;
  }

  Truncate(d: GoDuration): GoTime {
    if (d.nanos <= 0n) return this;
    const sinceZero = this.UnixNano() - BigInt(ZERO_TIME_UNIX) * NANOS_PER_SECOND;
    return GoTime.fromUnixNanos(this.UnixNano() - (sinceZero % d.nanos), this.zone);
  }

  Round(d: GoDuration): GoTime {
    if (d.nanos <= 0n) return this;
    const sinceZero = this.UnixNano() - BigInt(ZERO_TIME_UNIX) * NANOS_PER_SECOND;
    const r = sinceZero % d.nanos;
    const base = this.UnixNano() - r;
    return GoTime.fromUnixNanos(r + r < d.nanos ? base : base + d.nanos, this.zone);
  }

  Year(): bigint {
    return BigInt(this.civil().year);
  }

  Month(): NamedInt {
    return new NamedInt(BigInt(this.civil().month), MONTH_NAMES[this.civil().month - 1]!, 'time.Month');
  }

  Day(): bigint {
    return BigInt(this.civil().day);
  }

  Hour(): bigint {
    return BigInt(this.civil().hour);
  }

  Minute(): bigint {
    return BigInt(this.civil().minute);
  }

  Second(): bigint {
    return BigInt(this.civil().second);
  }

  Nanosecond(): bigint {
    return BigInt(this.nanos);
  }

  YearDay(): bigint {
    return BigInt(this.civil().yearDay);
  }

  Weekday(): NamedInt {
    const weekday = this.civil().weekday;
    return new NamedInt(BigInt(weekday), WEEKDAY_NAMES[weekday]!, 'time.Weekday');
  }

  private civil(): CivilTime {
    const { abbreviation, offsetSeconds } = this.zone.lookup(this.unixSeconds);
    const local = new Date((this.unixSeconds + offsetSeconds) * 1000);
    const year = local.getUTCFullYear();
    const startOfYear = new Date(0);
    startOfYear.setUTCFullYear(year, 0, 1);
    return {
      year,
      month: local.getUTCMonth() + 1,
      day: local.getUTCDate(),
      hour: local.getUTCHours(),
      minute: local.getUTCMinutes(),
      second: local.getUTCSeconds(),
      nanosecond: this.nanos,
      weekday: local.getUTCDay(),
      yearDay: Math.floor((local.getTime() - startOfYear.getTime()) / 86_400_000) + 1,
      offsetSeconds,
      zoneAbbreviation: abbreviation,
    };
  }
}

/** A Go integer of a named type that prints as a word: `time.Month` (`January`), `time.Weekday`. */
export class NamedInt implements IntLike {
  constructor(
    readonly value: bigint,
    readonly name: string,
    readonly typeName: string,
  ) {}

  goInt(): bigint {
    return this.value;
  }

  String(): string {
    return this.name;
  }
}

function clampInt64(v: bigint): bigint {
  const max = 2n ** 63n - 1n;
  const min = -(2n ** 63n);
  return v > max ? max : v < min ? min : v;
}
