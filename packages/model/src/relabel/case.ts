const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Lower-cases like Go's `strings.ToLower`: each code point by its simple (one-to-one) Unicode
 * mapping. JavaScript's `toLowerCase` applies full and contextual mappings (`İ` → `i̇`, final
 * sigma), which would give different label values than Prometheus.
 */
export function goToLower(s: string): string {
  return !NON_ASCII.test(s) ? s.toLowerCase() : mapCodePoints(s, lowerOne);
}

/** Upper-cases like Go's `strings.ToUpper` (simple mappings only: `ß` stays `ß`). */
export function goToUpper(s: string): string {
  return !NON_ASCII.test(s) ? s.toUpperCase() : mapCodePoints(s, upperOne);
}

function mapCodePoints(s: string, one: (ch: string) => string): string {
  let out = '';
  for (const ch of s) out += one(ch);
  return out;
}

function lowerOne(ch: string): string {
  if (ch === '\u0130') return 'i'; // Go's simple mapping; JavaScript gives "i̇".
  const lower = ch.toLowerCase();
  return isOneCodePoint(lower) ? lower : ch;
}

function upperOne(ch: string): string {
  const upper = ch.toUpperCase();
  return isOneCodePoint(upper) ? upper : ch;
}

function isOneCodePoint(s: string): boolean {
  return s.length === 1 || (s.length === 2 && s.codePointAt(0)! > 0xffff);
}
