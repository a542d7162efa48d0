/**
 * Go's `strconv` quoting: `Quote`, `QuoteToASCII`, `QuoteRune`, `QuoteRuneToASCII` and
 * `CanBackquote`, which `%q` and `%#q` use. Strings are read as Unicode code points; a lone
 * surrogate stands for an invalid byte and is written as `\ufffd`'s escape would be in Go
 * (U+FFFD, kept as is unless ASCII-only).
 */

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
/** Control characters with a one-letter escape. */
const NAMED_ESCAPES = new Map([[7, '\\a'], [8, '\\b'], [12, '\\f'], [10, '\\n'], [13, '\\r'], [9, '\\t'], [11, '\\v']]);

/** Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrintRune(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7f;
  return PRINTABLE.test(String.fromCodePoint(cp));
}

/** `strconv.Quote` (`asciiOnly` false) or `strconv.QuoteToASCII` (true). */
export function quoteString(s: string, asciiOnly: boolean): string {
  let out = '"';
  for (const ch of s) out += escapeRune(normalizedCodePoint(ch), '"', asciiOnly);
  return out + '"';
}

/** `strconv.QuoteRune` / `QuoteRuneToASCII`: `'a'`, `'\n'`, `'☺'`. */
export function quoteRune(cp: number, asciiOnly: boolean): string {
  const r = cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp < 0 ? 0xfffd : cp;
  return `'${escapeRune(r, "'", asciiOnly)}'`;
}

/** `strconv.CanBackquote`: no backquote, no control characters other than tab, no U+FEFF. */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x60 || cp === 0xfeff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    if ((cp < 0x20 && cp !== 0x09) || cp === 0x7f) return false;
  }
  return true;
}

function normalizedCodePoint(ch: string): number {
  const cp = ch.codePointAt(0)!;
  return cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
}

function escapeRune(cp: number, quote: string, asciiOnly: boolean): string {
  const ch = String.fromCodePoint(cp);
  if (ch === quote || ch === '\\') return '\\' + ch;
  if (asciiOnly ? cp < 0x80 && isPrintRune(cp) : isPrintRune(cp)) return ch;
  const named = NAMED_ESCAPES.get(cp);
  if (named !== undefined) return named;
  if (cp < 0x20 || cp === 0x7f) return '\\x' + cp.toString(16).padStart(2, '0');
  if (cp < 0x10000) return '\\u' + cp.toString(16).padStart(4, '0');
  return '\\U' + cp.toString(16).padStart(8, '0');
}
