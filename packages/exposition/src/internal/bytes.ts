// Byte classes and small decoding helpers shared by the text and OpenMetrics scanners.

export const SPACE = 0x20;
export const TAB = 0x09;
export const NEWLINE = 0x0a;
export const QUOTE = 0x22;
export const HASH = 0x23;
export const COMMA = 0x2c;
export const EQUALS = 0x3d;
export const BACKSLASH = 0x5c;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;

/** Byte classes: bit 1 label-name start, 2 label-name byte, 4 metric-name start, 8 metric-name byte, 16 special inside quotes. */
const CLASS = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const letter = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
  const digit = c >= 0x30 && c <= 0x39;
  CLASS[c] = (letter ? 1 | 4 : 0) | (letter || digit ? 2 | 8 : 0) | (c === 0x3a ? 4 | 8 : 0) | (c === QUOTE || c === BACKSLASH || c === NEWLINE ? 16 : 0);
}

/** `[a-zA-Z_]`: first byte of a legacy label name. */
export function isLabelNameStart(c: number): boolean {
  return (CLASS[c]! & 1) !== 0;
}

/** `[a-zA-Z0-9_]`. */
export function isLabelNameChar(c: number): boolean {
  return (CLASS[c]! & 2) !== 0;
}

/** `[a-zA-Z_:]`: first byte of a legacy metric name. */
export function isMetricNameStart(c: number): boolean {
  return (CLASS[c]! & 4) !== 0;
}

/** `[a-zA-Z0-9_:]`. */
export function isMetricNameChar(c: number): boolean {
  return (CLASS[c]! & 8) !== 0;
}

/** `"`, `\` or newline: the bytes a quoted-string scan stops at. */
export function isQuotedSpecial(c: number): boolean {
  return (CLASS[c]! & 16) !== 0;
}

type Slicer = (this: Uint8Array, start: number, end: number) => string;
const proto = Buffer.prototype as unknown as { latin1Slice?: Slicer; utf8Slice?: Slicer };

/** Decodes `b[s, e)` as Latin-1 (exact for ASCII) without Buffer#toString's argument handling. */
export const latin1Slice: (b: Buffer, s: number, e: number) => string =
  proto.latin1Slice === undefined ? (b, s, e) => b.toString('latin1', s, e) : (b, s, e) => proto.latin1Slice!.call(b, s, e);

/** Decodes `b[s, e)` as UTF-8. */
export const utf8Slice: (b: Buffer, s: number, e: number) => string =
  proto.utf8Slice === undefined ? (b, s, e) => b.toString('utf8', s, e) : (b, s, e) => proto.utf8Slice!.call(b, s, e);

/**
 * Resolves the escapes of a quoted string or HELP text: `\\` → `\`, `\n` → newline, and `\"` → `"`
 * when `quote` is set. Other backslash sequences are kept literally, as Prometheus does.
 */
export function unescape(s: string, quote: boolean): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[i + 1]!;
    if (n === '\\') out += '\\';
    else if (n === 'n') out += '\n';
    else if (n === '"' && quote) out += '"';
    else {
      out += c;
      continue;
    }
    i++;
  }
  return out;
}

/** Offset of the first byte that starts an invalid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 && c < 0xe0 ? 1 : -1;
    if (n < 0 || i + n >= b.length) return i;
    for (let k = 1; k <= n; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    const c1 = b[i + 1]!;
    if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f) || (c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 > 0x8f)) return i;
    i += n + 1;
  }
  return -1;
}
