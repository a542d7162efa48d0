/**
 * Go's `strconv.Unquote` for the literals templates contain: `"…"` with Go escapes, `` `…` `` raw
 * strings (carriage returns dropped) and `'c'` character constants. Throws an Error with Go's
 * message, `invalid syntax`, on a malformed literal.
 */
export function unquoteGo(quoted: string): string {
  const quote = quoted[0];
  if (quoted.length < 2 || quoted[quoted.length - 1] !== quote) throw new Error('invalid syntax');
  const body = quoted.slice(1, -1);
  if (quote === '`') {
    if (body.includes('`')) throw new Error('invalid syntax');
    return body.replaceAll('\r', '');
  }
  if (quote !== '"' && quote !== "'") throw new Error('invalid syntax');
  const bytes: number[] = [];
  let i = 0;
  let runes = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c === quote || c === '\n') throw new Error('invalid syntax');
    if (c !== '\\') {
      const cp = body.codePointAt(i)!;
      pushUtf8(bytes, cp);
      i += cp > 0xffff ? 2 : 1;
      runes++;
      continue;
    }
    const [consumed, value, isByte] = readEscape(body, i + 1, quote);
    if (isByte) bytes.push(value);
    else pushUtf8(bytes, value);
    i += 1 + consumed;
    runes++;
  }
  if (quote === "'" && runes !== 1) throw new Error('invalid syntax');
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** Reads one escape after a backslash: [characters consumed, value, whether value is a raw byte]. */
function readEscape(s: string, at: number, quote: string): [number, number, boolean] {
  const c = s[at];
  switch (c) {
    case 'a': return [1, 7, false];
    case 'b': return [1, 8, false];
    case 'f': return [1, 12, false];
    case 'n': return [1, 10, false];
    case 'r': return [1, 13, false];
    case 't': return [1, 9, false];
    case 'v': return [1, 11, false];
    case '\\': return [1, 0x5c, false];
    case "'":
    case '"':
      if (c !== quote) throw new Error('invalid syntax');
      return [1, c.charCodeAt(0), false];
    case 'x':
      return [3, hexValue(s, at + 1, 2), true];
    case 'u':
      return [5, validRune(hexValue(s, at + 1, 4)), false];
    case 'U':
      return [9, validRune(hexValue(s, at + 1, 8)), false];
  }
  if (c !== undefined && c >= '0' && c <= '7') {
    const digits = s.slice(at, at + 3);
    if (!/^[0-7]{3}$/.test(digits)) throw new Error('invalid syntax');
    const v = parseInt(digits, 8);
    if (v > 255) throw new Error('invalid syntax');
    return [3, v, true];
  }
  throw new Error('invalid syntax');
}

function hexValue(s: string, at: number, n: number): number {
  const digits = s.slice(at, at + n);
  if (digits.length !== n || !/^[0-9a-fA-F]+$/.test(digits)) throw new Error('invalid syntax');
  return parseInt(digits, 16);
}

function validRune(cp: number): number {
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new Error('invalid syntax');
  return cp;
}

function pushUtf8(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}
