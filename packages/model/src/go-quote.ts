const HEX = '0123456789abcdef';

/**
 * Quotes `s` the way Go's `strconv.Quote` does: double quotes, `\"` and `\\` escaped, control
 * characters as `\n`, `\t`, … or `\xNN`, and lone surrogates as `\ufffd`. Printable Unicode is
 * kept as is. This is how Prometheus writes label values in `{a="1"}` strings and error messages.
 */
export function goQuote(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c === 0x22) esc = '\\"';
    else if (c === 0x5c) esc = '\\\\';
    else if (c < 0x20 || c === 0x7f) esc = controlEscape(c);
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c < 0xdc00 && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      esc = '\\ufffd';
    } else if ((c >= 0x80 && c < 0xa0) || c === 0xad) esc = '\\u' + c.toString(16).padStart(4, '0');
    if (esc !== undefined) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

function controlEscape(c: number): string {
  switch (c) {
    case 0x07: return '\\a';
    case 0x08: return '\\b';
    case 0x0c: return '\\f';
    case 0x0a: return '\\n';
    case 0x0d: return '\\r';
    case 0x09: return '\\t';
    case 0x0b: return '\\v';
    default: return '\\x' + HEX[c >> 4] + HEX[c & 15];
  }
}
