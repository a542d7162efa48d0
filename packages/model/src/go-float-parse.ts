const DECIMAL = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/**
 * Parses a number as Prometheus's text parsers do (`strconv.ParseFloat` restricted to the pre-Go
 * 1.13 forms: `p`, `P` and `_` are rejected, so hex floats and digit separators are not numbers).
 * Accepts decimal forms with an optional sign, fraction and exponent (`1`, `-1.5`, `.5`, `1.`,
 * `1e-07`), and case-insensitively `NaN`, `Inf`, `Infinity` (the latter two with an optional sign).
 * Returns `undefined` for anything else, including numbers beyond the float64 range such as
 * `1e400`, which Go rejects with ErrRange; underflow quietly becomes zero, as in Go. No whitespace
 * is trimmed. Returning `undefined` instead of throwing keeps the exposition parser's hot path
 * cheap; callers turn it into an error naming the line.
 */
export function parseGoFloat(s: string): number | undefined {
  const c = s.charCodeAt(0);
  // Digits, '.', '+' and '-' start every decimal form; letters only the special values.
  if ((c >= 48 && c <= 57) || c === 46) return parseDecimal(s);
  if (c === 43 || c === 45) {
    const d = s.charCodeAt(1);
    if ((d >= 48 && d <= 57) || d === 46) return parseDecimal(s);
  }
  return parseSpecial(s);
}

function parseDecimal(s: string): number | undefined {
  if (!DECIMAL.test(s)) return undefined;
  const v = Number(s);
  return v === Infinity || v === -Infinity ? undefined : v;
}

function parseSpecial(s: string): number | undefined {
  const lower = s.toLowerCase();
  switch (lower) {
    case 'nan':
      return NaN;
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    default:
      return undefined;
  }
}
