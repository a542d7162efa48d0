// Number parsing straight from bytes with Go strconv.ParseFloat's grammar, minus what Prometheus
// rejects (`p`, `P`, `_`, hence hex floats): [+-]digits[.digits][(e|E)[+-]digits], `.5`, `5.`,
// and case-insensitive `inf`/`infinity` (signed) and `nan` (unsigned). Out-of-range values are an
// error as in Go (ErrRange); underflow gives 0.

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

function lower(c: number): number {
  return c | 0x20;
}

function matchesWord(b: Uint8Array, i: number, e: number, word: string): boolean {
  if (e - i !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (lower(b[i + k]!) !== word.charCodeAt(k)) return false;
  return true;
}

function latin1(b: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(b[i]!);
  return out;
}

/** Parses `b[s, e)`; undefined when the bytes are not a float Prometheus accepts. */
export function parseFloatBytes(b: Uint8Array, s: number, e: number): number | undefined {
  if (s >= e) return undefined;
  let i = s;
  let neg = false;
  let c = b[i]!;
  if (c === 0x2b || c === 0x2d) {
    neg = c === 0x2d;
    if (++i >= e) return undefined;
    c = b[i]!;
  }
  const lc = lower(c);
  if (lc === 0x69 /* i */) {
    if (matchesWord(b, i, e, 'inf') || matchesWord(b, i, e, 'infinity')) return neg ? -Infinity : Infinity;
    return undefined;
  }
  if (lc === 0x6e /* n */) return i === s && matchesWord(b, i, e, 'nan') ? NaN : undefined;

  let mant = 0;
  let digits = 0;
  let frac = 0;
  let sawDigit = false;
  let inFrac = false;
  let slow = false;
  for (; i < e; i++) {
    c = b[i]!;
    if (c >= 0x30 && c <= 0x39) {
      sawDigit = true;
      const d = c - 0x30;
      if (digits === 0 && d === 0) {
        if (inFrac) frac++;
      } else if (digits < 15) {
        mant = mant * 10 + d;
        digits++;
        if (inFrac) frac++;
      } else slow = true;
    } else if (c === 0x2e && !inFrac) {
      inFrac = true;
    } else break;
  }
  if (!sawDigit) return undefined;
  let exp = 0;
  if (i < e) {
    if (lower(b[i]!) !== 0x65) return undefined;
    i++;
    let expNeg = false;
    if (i < e && (b[i] === 0x2b || b[i] === 0x2d)) expNeg = b[i++] === 0x2d;
    if (i >= e) return undefined;
    for (; i < e; i++) {
      c = b[i]!;
      if (c < 0x30 || c > 0x39) return undefined;
      if (exp < 100_000) exp = exp * 10 + (c - 0x30);
    }
    if (expNeg) exp = -exp;
  }
  if (!slow) {
    if (mant === 0) return neg ? -0 : 0;
    const k = exp - frac;
    if (k >= 0 && k <= 22) return neg ? -(mant * POW10[k]!) : mant * POW10[k]!;
    if (k < 0 && k >= -22) return neg ? -(mant / POW10[-k]!) : mant / POW10[-k]!;
  }
  const v = Number(latin1(b, s, e));
  return v === Infinity || v === -Infinity ? undefined : v;
}

/** Parses a base-10 int64 (`[+-]digits`) from `b[s, e)` as a number (exact up to 2^53). */
export function parseIntBytes(b: Uint8Array, s: number, e: number): number | undefined {
  let i = s;
  let neg = false;
  if (i < e && (b[i] === 0x2b || b[i] === 0x2d)) neg = b[i++] === 0x2d;
  if (i >= e || e - i > 19) return undefined;
  let v = 0;
  for (; i < e; i++) {
    const c = b[i]!;
    if (c < 0x30 || c > 0x39) return undefined;
    v = v * 10 + (c - 0x30);
  }
  return neg ? -v : v;
}
