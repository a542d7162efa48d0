import { goQuote, parseDuration } from '@pyrometer/model';

/** The result of converting literal text: a value, or the upstream-worded reason it is invalid. */
export type Converted<T> = { ok: true; value: T } | { ok: false; error: string };

const INT64_MAX = 2n ** 63n - 1n;

/**
 * Converts number text the way upstream does (Go's ParseInt with base prefixes, then ParseFloat):
 * `0x1f`, leading-zero octal `017`, `1_000`, `1e3`, `.5`, `Inf`, `NaN`.
 */
export function convertNumber(text: string): Converted<number> {
  const lower = text.toLowerCase();
  const intMatch = /^(?:0x(?:_?[0-9a-f])+|0(?:_?[0-7])+|[1-9](?:_?[0-9])*|0)$/.exec(lower);
  if (intMatch !== null) {
    const clean = lower.replaceAll('_', '');
    const big = clean.startsWith('0x') ? BigInt(clean) : clean.length > 1 && clean.startsWith('0') ? BigInt(`0o${clean.slice(1)}`) : BigInt(clean);
    if (big <= INT64_MAX) return { ok: true, value: Number(big) };
  }
  const bad = (why: string): Converted<number> => ({ ok: false, error: `error parsing number: strconv.ParseFloat: parsing ${goQuote(text)}: ${why}` });
  if (lower === 'inf' || lower === 'infinity' || lower === '+inf') return { ok: true, value: Infinity };
  if (lower === 'nan') return { ok: true, value: NaN };
  if (!/^(?:\d(?:_?\d)*)?(?:\.(?:\d(?:_?\d)*)?)?(?:e[+-]?\d(?:_?\d)*)?$/.test(lower) || !/\d/.test(lower)) {
    return bad('invalid syntax');
  }
  const v = Number(lower.replaceAll('_', ''));
  if (!Number.isFinite(v)) return bad('value out of range');
  return { ok: true, value: v };
}

/**
 * Parses a Prometheus duration (`1h30m`, `500ms`, `0`) into ms with prometheus/common's rules and
 * messages (units y w d h m s ms, each at most once, biggest first).
 */
export function convertDuration(text: string): Converted<number> {
  try {
    return { ok: true, value: parseDuration(text) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"',
};

/**
 * Resolves a quoted string token (`"…"`, `'…'` or `` `…` ``) the way Go's strconv.Unquote does;
 * `\x` and octal escapes are bytes, joined and read as UTF-8. The lexer has already rejected
 * malformed escapes, so this only converts.
 */
export function unquote(token: string): string {
  const quote = token[0];
  const body = token.slice(1, -1);
  if (quote === '`') return body.replaceAll('\r', '');
  if (!body.includes('\\')) return body;
  let out = '';
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length > 0) {
      out += decodeUtf8(bytes);
      bytes = [];
    }
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      flush();
      out += c;
      continue;
    }
    const e = body[++i]!;
    if (e === 'x') {
      bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (e >= '0' && e <= '7') {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      flush();
      out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 1 + n), 16));
      i += n;
    } else {
      flush();
      out += SIMPLE_ESCAPES[e] ?? e;
    }
  }
  flush();
  return out;
}

/** Decodes UTF-8 bytes (from `\x`/octal escapes); malformed sequences become U+FFFD. */
function decodeUtf8(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    let cp = len === 1 ? b : len === 2 ? b & 0x1f : len === 3 ? b & 0x0f : b & 0x07;
    let ok = len > 0 && i + len <= bytes.length;
    for (let k = 1; ok && k < len; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) ok = false;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (ok && ((len === 3 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000))) || (len === 4 && (cp < 0x10000 || cp > 0x10ffff)))) ok = false;
    if (ok) {
      out += String.fromCodePoint(cp);
      i += len;
    } else {
      out += '\ufffd';
      i += 1;
    }
  }
  return out;
}
