/** Go's `unicode.IsSpace`: ASCII white space, U+0085, U+00A0 and the Unicode White_Space characters. */
export function isGoSpace(c: string): boolean {
  switch (c) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ': case '\u0085': case '\u00a0':
    case '\u1680': case '\u2028': case '\u2029': case '\u202f': case '\u205f': case '\u3000':
      return true;
    default:
      return c >= '\u2000' && c <= '\u200a';
  }
}

/** The characters a matcher name or value may not contain unquoted: space and `{}!=~,\"'` and backtick. */
export function isReserved(c: string): boolean {
  return isGoSpace(c) || '{}!=~,\\"\'`'.includes(c);
}
