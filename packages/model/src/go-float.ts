import { exactDecimal, roundDecimal, shortestDecimal, type Decimal } from './internal/decimal.js';

/** The formats of Go's `strconv.FormatFloat` that Prometheus writes: `%f`, `%e` and `%g`. */
export type GoFloatFormat = 'f' | 'e' | 'g';

/**
 * Formats `v` exactly as Go's `strconv.FormatFloat(v, fmt, precision, 64)`, byte for byte.
 * `precision` -1 (the default) means the fewest digits that read back as the same float64;
 * otherwise it counts digits after the point ('f', 'e') or significant digits ('g'), rounding the
 * exact binary value half to even. Exponents have at least two digits (`1e-07`, `1e+06`); 'g'
 * switches to the exponent form when the exponent is < -4 or >= the precision, and in shortest
 * mode Go compares with 6, not 21 (so 1000000 → `1e+06`, 123456 → `123456`). Special values are
 * `NaN`, `+Inf` and `-Inf`; negative zero keeps its sign (`-0`).
 */
export function formatGoFloat(v: number, fmt: GoFloatFormat, precision = -1): string {
  if (v !== v) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const shortest = precision < 0;
  if (shortest) {
    // Where JavaScript prints plain decimals (1e-6 <= |v| < 1e21) its shortest digits are Go's, so
    // 'f' is String(v), and so is 'g' where Go's 'g' picks %f for them (exponent -4 to 5).
    const abs = Math.abs(v);
    if (fmt === 'f' && abs >= 1e-6 && abs < 1e21) return String(v);
    if (fmt === 'g' && abs >= 1e-4 && abs < 1e6) return String(v);
  }
  const neg = v < 0 || Object.is(v, -0);
  let d: Decimal;
  let prec = precision;
  if (shortest) {
    d = shortestDecimal(Math.abs(v));
    prec = fmt === 'e' ? Math.max(d.digits.length - 1, 0) : fmt === 'f' ? Math.max(d.digits.length - d.dp, 0) : d.digits.length;
  } else {
    d = exactDecimal(Math.abs(v));
    if (fmt === 'e') d = roundDecimal(d, prec + 1);
    else if (fmt === 'f') d = roundDecimal(d, d.dp + prec);
    else {
      if (prec === 0) prec = 1;
      d = roundDecimal(d, prec);
    }
  }
  return formatDigits(neg, d, shortest, prec, fmt);
}

function formatDigits(neg: boolean, d: Decimal, shortest: boolean, prec: number, fmt: GoFloatFormat): string {
  if (fmt === 'e') return fmtE(neg, d, prec);
  if (fmt === 'f') return fmtF(neg, d, prec);
  const nd = d.digits.length;
  let eprec = prec;
  if (eprec > nd && nd >= d.dp) eprec = nd;
  if (shortest) eprec = 6;
  const exp = d.dp - 1;
  if (exp < -4 || exp >= eprec) return fmtE(neg, d, Math.min(prec, nd) - 1);
  return fmtF(neg, d, Math.max((prec > d.dp ? nd : prec) - d.dp, 0));
}

/** `-d.ddddde±dd`, with `prec` digits after the point. */
function fmtE(neg: boolean, d: Decimal, prec: number): string {
  const digits = d.digits;
  let out = neg ? '-' : '';
  out += digits.length > 0 ? digits[0] : '0';
  if (prec > 0) {
    out += '.' + digits.slice(1, Math.min(digits.length, prec + 1));
    for (let i = Math.max(digits.length, 1); i <= prec; i++) out += '0';
  }
  let exp = digits.length === 0 ? 0 : d.dp - 1;
  out += exp < 0 ? 'e-' : 'e+';
  exp = Math.abs(exp);
  return out + (exp < 10 ? '0' + exp : String(exp));
}

/** `-ddddd.ddddd`, with `prec` digits after the point. */
function fmtF(neg: boolean, d: Decimal, prec: number): string {
  const digits = d.digits;
  let out = neg ? '-' : '';
  if (d.dp > 0) {
    out += digits.slice(0, Math.min(digits.length, d.dp));
    for (let m = digits.length; m < d.dp; m++) out += '0';
  } else out += '0';
  if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      const j = d.dp + i;
      out += j >= 0 && j < digits.length ? digits[j] : '0';
    }
  }
  return out;
}

/**
 * A sample value as the Prometheus HTTP API writes it (`jsonutil.MarshalFloat`): Go 'f' shortest,
 * but 'e' shortest when 0 < |v| < 1e-6 or |v| >= 1e21 (`1e-07`, `1e+21`); zero is `0` (`-0` for
 * negative zero), and `NaN`, `+Inf`, `-Inf` are spelled out.
 */
export function formatApiValue(v: number): string {
  const abs = Math.abs(v);
  return formatGoFloat(v, abs !== 0 && (abs < 1e-6 || abs >= 1e21) ? 'e' : 'f');
}

/**
 * A sample value as the text exposition format writes it (expfmt's `writeFloat`): `1`, `0` and
 * `-1` for those values (so negative zero is `0`), `NaN`, `+Inf`, `-Inf`, otherwise Go 'g'
 * shortest (`1e+06`, `1.5838723477166057e+09`).
 */
export function formatExpositionValue(v: number): string {
  if (v === 1) return '1';
  if (v === 0) return '0';
  if (v === -1) return '-1';
  return formatGoFloat(v, 'g');
}

/**
 * A float as OpenMetrics writes it (`labels.FormatOpenMetricsFloat`), which Prometheus also uses
 * to normalise `le` and `quantile` label values: Go 'g' shortest with `.0` appended when the
 * result has neither a point nor an exponent — `1.0`, `0.0`, `-1.0`, `0.25`, `1e+06`, `+Inf`.
 */
export function formatOpenMetricsFloat(v: number): string {
  if (v === 1) return '1.0';
  if (v === 0) return '0.0';
  if (v === -1) return '-1.0';
  const s = formatGoFloat(v, 'g');
  if (v !== v || v === Infinity || v === -Infinity || s.includes('.') || s.includes('e')) return s;
  return s + '.0';
}
