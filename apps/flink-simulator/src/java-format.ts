/**
 * Formats a double as Java's `Double.toString` does (shortest round-trip digits): plain decimal with
 * at least one fractional digit for 1e-3 ≤ |v| < 1e7 (`1.0`, `0.0213`, `1234567.0`), otherwise
 * computerized scientific notation (`1.0E-4`, `1.2345E9`). This is what Flink's reporter writes.
 */
export function javaDoubleToString(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const sign = v < 0 ? '-' : '';
  const abs = Math.abs(v);
  const [mantissa, exponentText] = abs.toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (abs >= 1e-3 && abs < 1e7) {
    const pointAt = exponent + 1;
    if (pointAt <= 0) return `${sign}0.${'0'.repeat(-pointAt)}${digits}`;
    const intPart = digits.slice(0, pointAt).padEnd(pointAt, '0');
    const fraction = digits.slice(pointAt);
    return `${sign}${intPart}.${fraction === '' ? '0' : fraction}`;
  }
  const fraction = digits.slice(1);
  return `${sign}${digits[0]}.${fraction === '' ? '0' : fraction}E${exponent}`;
}

/**
 * simpleclient's `Collector.doubleToGoString`: `+Inf`, `-Inf`, `NaN`, else Java's `Double.toString`.
 */
export function doubleToGoString(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Number.isNaN(v)) return 'NaN';
  return javaDoubleToString(v);
}
