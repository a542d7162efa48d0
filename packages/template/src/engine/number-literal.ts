import { goQuote, parseGoFloat } from '@pyrometer/model';
import { unquoteGo } from './unquote.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The values a numeric constant stands for (see `NumberNode`). */
export interface NumberValue {
  readonly text: string;
  readonly isInt: boolean;
  readonly isFloat: boolean;
  readonly isComplex: boolean;
  readonly int: bigint;
  readonly float: number;
}

/**
 * Interprets a number, character constant or complex constant as Go's parser does: integers in
 * any Go base (`0x1F`, `0o17`, `017`, `0b101`, `1_000`), floats, `'a'` as its code point.
 * Throws an Error worded as Go's (`illegal number syntax: "…"`, `integer overflow: "…"`).
 */
export function parseNumber(text: string, kind: 'number' | 'char' | 'complex'): NumberValue {
  if (kind === 'char') {
    const s = unquoteChar(text);
    const cp = s.codePointAt(0)!;
    return { text, isInt: true, isFloat: true, isComplex: false, int: BigInt(cp), float: cp };
  }
  if (kind === 'complex' || text.endsWith('i')) {
    const imaginary = kind === 'number' ? parseFloatText(text.slice(0, -1)) : undefined;
    if (imaginary === 0) return { text, isInt: true, isFloat: true, isComplex: false, int: 0n, float: 0 };
    return { text, isInt: false, isFloat: false, isComplex: true, int: 0n, float: 0 };
  }
  const asInt = parseIntText(text);
  if (asInt !== undefined && asInt >= INT64_MIN && asInt <= 2n ** 64n - 1n) {
    const fits = asInt <= INT64_MAX;
    return { text, isInt: fits, isFloat: true, isComplex: false, int: fits ? asInt : 0n, float: Number(asInt) };
  }
  const f = parseFloatText(text);
  if (f !== undefined) {
    if (!/[.eEpP]/.test(text)) throw new Error(`integer overflow: ${goQuote(text)}`);
    const integral = Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63;
    return { text, isInt: integral, isFloat: true, isComplex: false, int: integral ? BigInt(f) : 0n, float: f };
  }
  throw new Error(`illegal number syntax: ${goQuote(text)}`);
}

/** The character of a `'c'` constant; Go rejects anything but exactly one character. */
function unquoteChar(text: string): string {
  let s: string;
  try {
    s = unquoteGo(text);
  } catch {
    throw new Error(`malformed character constant: ${text}`);
  }
  if ([...s].length !== 1) throw new Error(`malformed character constant: ${text}`);
  return s;
}

/** Go's `ParseInt(text, 0, 64)` without the range check: base prefixes, a leading 0 for octal, `_` separators. */
function parseIntText(text: string): bigint | undefined {
  let s = text;
  let negative = false;
  if (s[0] === '+' || s[0] === '-') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  let base = 10;
  let digits = s;
  let prefixed = false;
  if (/^0[xX]/.test(s)) [base, digits, prefixed] = [16, s.slice(2), true];
  else if (/^0[oO]/.test(s)) [base, digits, prefixed] = [8, s.slice(2), true];
  else if (/^0[bB]/.test(s)) [base, digits, prefixed] = [2, s.slice(2), true];
  else if (s.length > 1 && s[0] === '0') [base, digits, prefixed] = [8, s.slice(1), true];
  if (digits.includes('_')) {
    if (!prefixed && !/^\d/.test(digits)) return undefined;
    if (!/^_?[^_]+(_[^_]+)*$/.test(digits) || (!prefixed && digits.startsWith('_'))) return undefined;
    digits = digits.replaceAll('_', '');
  }
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[base]!;
  if (!valid.test(digits)) return undefined;
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '';
  const value = BigInt(prefix + digits);
  return negative ? -value : value;
}

function parseFloatText(text: string): number | undefined {
  const hex = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[\d_]+)$/.exec(text);
  if (hex !== null) return parseHexFloat(hex[1]!, hex[2]!.replaceAll('_', ''), (hex[3] ?? '').replaceAll('_', ''), Number(hex[4]!.replaceAll('_', '')));
  const plain = /^[+-]?\d[\d_]*(\.[\d_]*)?([eE][+-]?[\d_]+)?$|^[+-]?\.[\d_]+([eE][+-]?[\d_]+)?$/.test(text) ? text.replaceAll('_', '') : text;
  return parseGoFloat(plain);
}

/** A hexadecimal float such as `0x1.ep+2` (7.5): hex mantissa times a power of two. */
function parseHexFloat(sign: string, whole: string, fraction: string, exponent: number): number | undefined {
  if (whole === '' && fraction === '') return undefined;
  const mantissa = parseInt(whole || '0', 16) + (fraction === '' ? 0 : parseInt(fraction, 16) / 16 ** fraction.length);
  const v = mantissa * 2 ** exponent;
  return sign === '-' ? -v : v;
}
