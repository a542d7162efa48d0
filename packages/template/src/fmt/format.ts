import { formatGoFloat } from '@pyrometer/model';
import { canBackquote, isPrintRune, quoteRune, quoteString } from './quote.js';

const LOWER_DIGITS = '0123456789abcdefx';
const UPPER_DIGITS = '0123456789ABCDEFX';

/**
 * The formatting state of one verb, as Go's `fmt.fmt`: flags, width and precision, and the
 * primitives that pad and write numbers, strings and booleans into `out`. Widths count runes.
 */
export class Formatter {
  out = '';
  wid = 0;
  prec = 0;
  widPresent = false;
  precPresent = false;
  minus = false;
  plus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;

  clearFlags(): void {
    this.wid = 0;
    this.prec = 0;
    this.widPresent = false;
    this.precPresent = false;
    this.minus = false;
    this.plus = false;
    this.sharp = false;
    this.space = false;
    this.zero = false;
    this.plusV = false;
    this.sharpV = false;
  }

  writePadding(n: number): void {
    if (n <= 0) return;
    this.out += (this.zero ? '0' : ' ').repeat(n);
  }

  /** Writes `s`, padded to the width: spaces (or zeros) on the left, or spaces on the right with `-`. */
  pad(s: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.out += s;
      return;
    }
    const width = this.wid - runeCount(s);
    if (!this.minus) {
      this.writePadding(width);
      this.out += s;
    } else {
      this.out += s;
      this.writePadding(width);
    }
  }

  fmtBoolean(v: boolean): void {
    this.pad(v ? 'true' : 'false');
  }

  /** Go's `fmtInteger`: base 2, 8, 10 or 16; `verb` `O` adds `0o`. */
  fmtInteger(value: bigint, base: number, verb: string, upper: boolean): void {
    const negative = value < 0n;
    let u = negative ? -value : value;
    const digits = upper ? UPPER_DIGITS : LOWER_DIGITS;
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = this.zero;
        this.zero = false;
        this.writePadding(this.wid);
        this.zero = oldZero;
        return;
      }
    } else if (this.zero && !this.minus && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--;
    }
    let s = '';
    const b = BigInt(base);
    do {
      s = digits[Number(u % b)]! + s;
      u /= b;
    } while (u > 0n);
    while (s.length < prec) s = '0' + s;
    if (this.sharp) {
      if (base === 2) s = '0b' + s;
      else if (base === 8 && s[0] !== '0') s = '0' + s;
      else if (base === 16) s = '0' + digits[16] + s;
    }
    if (verb === 'O') s = '0o' + s;
    if (negative) s = '-' + s;
    else if (this.plus) s = '+' + s;
    else if (this.space) s = ' ' + s;
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  /** `%U`: `U+0041`, with `%#U` also the quoted character when printable. */
  fmtUnicode(value: bigint): void {
    let hex = (value < 0n ? BigInt.asUintN(64, value) : value).toString(16).toUpperCase();
    const prec = this.precPresent && this.prec > 4 ? this.prec : 4;
    while (hex.length < prec) hex = '0' + hex;
    let s = 'U+' + hex;
    if (this.sharp && value >= 0n && value <= 0x10ffffn && isPrintRune(Number(value))) s += ` '${String.fromCodePoint(Number(value))}'`;
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  /** `%c`. */
  fmtC(value: bigint): void {
    this.pad(String.fromCodePoint(validRune(value)));
  }

  /** `%q` on an integer: a quoted rune. */
  fmtQc(value: bigint): void {
    this.pad(quoteRune(validRune(value), this.plus));
  }

  fmtS(s: string): void {
    this.pad(this.truncate(s));
  }

  /** `%x` / `%X` on a string: the hexadecimal of its UTF-8 bytes. */
  fmtSx(s: string, upper: boolean): void {
    const digits = upper ? UPPER_DIGITS : LOWER_DIGITS;
    let bytes = new TextEncoder().encode(s);
    if (this.precPresent && this.prec < bytes.length) bytes = bytes.subarray(0, this.prec);
    const length = bytes.length;
    let width = 2 * length;
    if (width === 0) {
      if (this.widPresent) this.writePadding(this.wid);
      return;
    }
    if (this.space) {
      if (this.sharp) width *= 2;
      width += length - 1;
    } else if (this.sharp) width += 2;
    if (this.widPresent && this.wid > width && !this.minus) this.writePadding(this.wid - width);
    let s2 = this.sharp ? '0' + digits[16] : '';
    bytes.forEach((c, i) => {
      if (this.space && i > 0) {
        s2 += ' ';
        if (this.sharp) s2 += '0' + digits[16];
      }
      s2 += digits[c >> 4]! + digits[c & 15]!;
    });
    this.out += s2;
    if (this.widPresent && this.wid > width && this.minus) this.writePadding(this.wid - width);
  }

  /** `%q` on a string; `%+q` ASCII only, `%#q` back-quoted when possible. */
  fmtQ(s: string): void {
    const t = this.truncate(s);
    if (this.sharp && canBackquote(t)) {
      this.pad('`' + t + '`');
      return;
    }
    this.pad(quoteString(t, this.plus));
  }

  /** Go's `fmtFloat` for verbs e, E, f, F, g, G with precision `prec` (-1 for shortest). */
  fmtFloat(v: number, verb: string, defaultPrec: number): void {
    const prec = this.precPresent ? this.prec : defaultPrec;
    const lower = verb.toLowerCase() as 'e' | 'f' | 'g';
    let num = formatGoFloat(v, lower, prec);
    if (verb === 'E' || verb === 'G') num = num.replace('e', 'E');
    num = num[0] === '-' || num[0] === '+' ? num : '+' + num;
    if (this.space && num[0] === '+' && !this.plus) num = ' ' + num.slice(1);
    if (num[1] === 'I' || num[1] === 'N') {
      const oldZero = this.zero;
      this.zero = false;
      if (num[1] === 'N' && !this.space && !this.plus) num = num.slice(1);
      this.pad(num);
      this.zero = oldZero;
      return;
    }
    if (this.sharp) num = sharpFloat(num, lower, prec);
    if (this.plus || num[0] !== '+') {
      if (this.zero && !this.minus && this.widPresent && this.wid > num.length) {
        this.out += num[0];
        this.writePadding(this.wid - num.length);
        this.out += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  private truncate(s: string): string {
    if (!this.precPresent) return s;
    const chars = [...s];
    return chars.length > this.prec ? chars.slice(0, this.prec).join('') : s;
  }
}

/** `%#g` keeps trailing zeros and `%#e`/`%#f` always show a decimal point (Go's sharp flag). */
function sharpFloat(num: string, verb: 'e' | 'f' | 'g', prec: number): string {
  let digits = verb === 'g' ? (prec === -1 ? 6 : prec) : 0;
  let body = num;
  let tail = '';
  const e = body.search(/[eE]/);
  if (e >= 0) {
    tail = body.slice(e);
    body = body.slice(0, e);
  }
  let sawNonzero = false;
  for (let i = 1; i < body.length; i++) {
    const c = body[i];
    if (c === '.') continue;
    if (c !== '0') sawNonzero = true;
    if (sawNonzero) digits--;
  }
  if (!body.includes('.')) {
    if (body.length === 2 && body[1] === '0') digits--;
    body += '.';
  }
  while (digits > 0) {
    body += '0';
    digits--;
  }
  return body + tail;
}

function validRune(value: bigint): number {
  if (value < 0n || value > 0x10ffffn) return 0xfffd;
  const n = Number(value);
  return n >= 0xd800 && n <= 0xdfff ? 0xfffd : n;
}

export function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
    n++;
  }
  return n;
}
