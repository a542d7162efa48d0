/**
 * Orders strings as Go compares them: by their UTF-8 bytes, which is Unicode code point order.
 * JavaScript's `<` compares UTF-16 code units instead; the two disagree only when one string has
 * a character beyond U+FFFF (a surrogate pair) where the other has one in U+E000–U+FFFF. Returns
 * a negative number, zero or a positive number, like a `sort` comparator.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      const xSurrogate = x <= 0xdfff;
      if (xSurrogate !== y <= 0xdfff) return xSurrogate ? 1 : -1;
    }
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
