const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34 };
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Go's `strconv.Unquote` for a double-quoted string literal: the escapes `\a \b \f \n \r \t \v \\
 * \"`, byte escapes `\xHH` and octal `\NNN`, `\uHHHH` and `\UHHHHHHHH`. Returns undefined where Go
 * returns an error (a bad escape, a raw newline or quote, a missing quote) and where the result is
 * not valid UTF-8 (byte escapes can produce that), which the matcher parser rejects too.
 */
export function goUnquote(quoted: string): string | undefined {
  if (quoted.length < 2 || !quoted.startsWith('"') || !quoted.endsWith('"')) return undefined;
  const s = quoted.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' || c === '\n') return undefined;
    if (c !== '\\') {
      const code = s.codePointAt(i)!;
      if (code > 0xffff) i++;
      bytes.push(...utf8.encode(String.fromCodePoint(code)));
      continue;
    }
    const e = s[++i] ?? '';
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      bytes.push(simple);
      continue;
    }
    const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const digits = width > 0 ? s.slice(i + 1, i + 1 + width) : s.slice(i, i + 3);
    if (width > 0) {
      if (digits.length !== width || !/^[0-9a-fA-F]+$/.test(digits)) return undefined;
      const code = parseInt(digits, 16);
      if (e === 'x') bytes.push(code);
      else if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
      else bytes.push(...utf8.encode(String.fromCodePoint(code)));
      i += width;
    } else {
      if (!/^[0-7]{3}$/.test(digits) || parseInt(digits, 8) > 255) return undefined;
      bytes.push(parseInt(digits, 8));
      i += 2;
    }
  }
  try {
    return strictUtf8.decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}
