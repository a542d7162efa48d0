/**
 * A non-negative decimal number `0.digits × 10^dp` as Go's strconv keeps it: `digits` has no
 * leading or trailing zeros, and zero is `{ digits: '', dp: 0 }`.
 */
export interface Decimal {
  readonly digits: string;
  readonly dp: number;
}

const ZERO: Decimal = { digits: '', dp: 0 };

/**
 * The shortest digits that read back as `abs` (a finite, non-negative float64). ECMAScript's
 * number-to-string picks the fewest digits and, among those, the closest to the exact value —
 * the same choice as Go's shortest formatting (Ryū), so the digits agree.
 */
export function shortestDecimal(abs: number): Decimal {
  if (abs === 0) return ZERO;
  const s = abs.toExponential();
  const e = s.indexOf('e');
  const mantissa = s.slice(0, e);
  const digits = (mantissa.length > 1 ? mantissa[0]! + mantissa.slice(2) : mantissa).replace(/0+$/, '');
  return { digits, dp: Number(s.slice(e + 1)) + 1 };
}

/** Every digit of the exact binary value of `abs` (finite, non-negative): at most ~770 significant digits. */
export function exactDecimal(abs: number): Decimal {
  if (abs === 0) return ZERO;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, abs);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  let digits: string;
  let dp: number;
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString();
    dp = digits.length;
  } else {
    // mant × 2^exp = mant × 5^-exp / 10^-exp
    digits = (mant * 5n ** BigInt(-exp)).toString();
    dp = digits.length + exp;
  }
  return { digits: digits.replace(/0+$/, ''), dp };
}

/** Rounds to `nd` significant digits, half to even on the exact digits (Go's `decimal.Round`). */
export function roundDecimal(d: Decimal, nd: number): Decimal {
  const digits = d.digits;
  if (nd < 0 || nd >= digits.length) return d;
  if (shouldRoundUp(digits, nd)) {
    let i = nd - 1;
    while (i >= 0 && digits[i] === '9') i--;
    if (i < 0) return { digits: '1', dp: d.dp + 1 };
    return { digits: digits.slice(0, i) + String.fromCharCode(digits.charCodeAt(i) + 1), dp: d.dp };
  }
  const kept = digits.slice(0, nd).replace(/0+$/, '');
  return kept === '' ? ZERO : { digits: kept, dp: d.dp };
}

function shouldRoundUp(digits: string, nd: number): boolean {
  const c = digits[nd]!;
  if (c === '5' && nd + 1 === digits.length) return nd > 0 && (digits.charCodeAt(nd - 1) - 48) % 2 === 1;
  return c >= '5';
}
