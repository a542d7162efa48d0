// Instants are nanoseconds since the Unix epoch as bigints: alerts keep the nanosecond precision
// Prometheus sends (webhook payloads echo it), and Go's zero time (year 1), which the API uses
// for "unset", is representable.

/** Go's zero `time.Time`, 0001-01-01T00:00:00Z: "unset" in alerts and the API. */
export const ZERO_TIME = -62_135_596_800_000_000_000n;

const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;

export function fromMillis(ms: number): bigint {
  return BigInt(Math.floor(ms)) * NS_PER_MS;
}

export function isZero(ns: bigint): boolean {
  return ns === ZERO_TIME;
}

// Civil calendar conversions (H. Hinnant's algorithms), valid for years 1–9999 and beyond.
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function parts(ns: bigint): { date: string; nanos: number } {
  let secs = ns / NS_PER_S;
  let nanos = ns - secs * NS_PER_S;
  if (nanos < 0n) {
    nanos += NS_PER_S;
    secs -= 1n;
  }
  const s = Number(secs);
  const days = Math.floor(s / 86400);
  const sod = s - days * 86400;
  const [y, m, d] = civilFromDays(days);
  return { date: `${pad(y, 4)}-${pad(m)}-${pad(d)}T${pad(Math.floor(sod / 3600))}:${pad(Math.floor((sod % 3600) / 60))}:${pad(sod % 60)}`, nanos: Number(nanos) };
}

/** Go's `time.Time` JSON form (RFC3339Nano, UTC): `2025-01-01T00:00:00.123456789Z`, fraction trimmed. */
export function formatRfc3339Nano(ns: bigint): string {
  const { date, nanos } = parts(ns);
  return nanos === 0 ? `${date}Z` : `${date}.${pad(nanos, 9).replace(/0+$/, '')}Z`;
}

/** go-openapi's `strfmt.DateTime` form: always three fraction digits, `2025-01-01T00:00:00.000Z`. */
export function formatRfc3339Millis(ns: bigint): string {
  const { date, nanos } = parts(ns);
  return `${date}.${pad(Math.floor(nanos / 1e6), 3)}Z`;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/**
 * Parses an RFC 3339 date-time with an optional fraction of up to nine digits and a `Z` or
 * `±hh:mm` offset (what Go's `time.Time` and go-openapi's `DateTime` accept). Undefined if invalid.
 */
export function parseRfc3339(s: string): bigint | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || se! > 59) return undefined;
  const days = daysFromCivil(y!, mo!, d!);
  if (civilFromDays(days)[2] !== d) return undefined;
  let secs = BigInt(days) * 86400n + BigInt(h! * 3600 + mi! * 60 + se!);
  if (m[9] !== undefined) {
    const offset = (Number(m[10]) * 60 + Number(m[11])) * 60;
    secs -= BigInt(m[9] === '-' ? -offset : offset);
  }
  return secs * NS_PER_S + BigInt((m[7] ?? '').padEnd(9, '0') || '0');
}
