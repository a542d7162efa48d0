import { goQuote } from '@pyrometer/model';
import { goQuoteRune, goRuneU, KEYWORD_SET, type Keyword, type Token, type TokenKind } from './tokens.js';

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isAlpha = (c: string): boolean => c === '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isAlnum = (c: string): boolean => isAlpha(c) || isDigit(c);

type Mode = 'statements' | 'braces' | 'duration' | 'values';

/**
 * An on-demand PromQL lexer (tokens are produced as the parser asks, so a lexing error after a
 * grammar error is never reported first). Comments are skipped. After an ERROR token it returns
 * EOF forever. Instances are single-use and not shareable.
 */
export class Lexer {
  private pos = 0;
  private start = 0;
  private mode: Mode = 'statements';
  private parenDepth = 0;
  private bracketOpen = false;
  private gotColon = false;
  private gotDuration = false;
  private done = false;

  constructor(
    private readonly input: string,
    private readonly seriesDesc = false,
  ) {}

  /** Continues a series description's values at `pos` (after a part the caller scanned itself). */
  resumeValuesAt(pos: number): void {
    this.pos = pos;
    this.start = pos;
    this.mode = 'values';
    this.done = false;
  }

  next(): Token {
    if (this.done) return { kind: 'EOF', pos: this.input.length, text: '' };
    for (;;) {
      const t = this.scan();
      if (t !== undefined) {
        if (t.kind === 'ERROR' || t.kind === 'EOF') this.done = true;
        return t;
      }
    }
  }

  private peekChar(offset = 0): string {
    return this.input.charAt(this.pos + offset);
  }

  private emit(kind: TokenKind): Token {
    const t = { kind, pos: this.start, text: this.input.slice(this.start, this.pos) };
    this.start = this.pos;
    return t;
  }

  private error(message: string): Token {
    return { kind: 'ERROR', pos: this.start, text: message };
  }

  /** One step of the state machine; undefined when only whitespace or a comment was consumed. */
  private scan(): Token | undefined {
    this.start = this.pos;
    switch (this.mode) {
      case 'braces':
        return this.scanInsideBraces();
      case 'duration':
        return this.scanDurationExpr();
      case 'values':
        return this.scanValues();
      case 'statements':
        return this.scanStatements();
    }
  }

  private skipComment(): boolean {
    if (this.peekChar() !== '#') return false;
    while (this.pos < this.input.length && this.peekChar() !== '\n' && this.peekChar() !== '\r') this.pos++;
    return true;
  }

  private scanStatements(): Token | undefined {
    if (this.skipComment()) return undefined;
    if (this.pos >= this.input.length) {
      if (this.parenDepth !== 0) return this.error('unclosed left parenthesis');
      if (this.bracketOpen) return this.error('unclosed left bracket');
      return this.emit('EOF');
    }
    const c = this.input[this.pos++]!;
    if (isSpace(c)) {
      while (isSpace(this.peekChar())) this.pos++;
      return undefined;
    }
    switch (c) {
      case ',': case '*': case '/': case '%': case '+': case '-': case '^': case '@':
        return this.emit(c);
      case '=':
        if (this.peekChar() === '=') {
          this.pos++;
          return this.emit('==');
        }
        if (this.peekChar() === '~') return this.error(`unexpected character after '=': '~'`);
        return this.emit('=');
      case '!': {
        const n = this.input.charAt(this.pos++);
        if (n !== '=') return this.error(`unexpected character after '!': ${goQuoteRune(n)}`);
        return this.emit('!=');
      }
      case '<':
      case '>':
        if (this.peekChar() === '=') {
          this.pos++;
          return this.emit(c === '<' ? '<=' : '>=');
        }
        return this.emit(c);
      case '"': case "'":
        return this.scanString(c);
      case '`':
        return this.scanRawString();
      case '(':
      case ')':
        return this.paren(c);
      case '{':
        this.mode = 'braces';
        return this.emit('{');
      case '[': {
        if (this.bracketOpen) return this.error(`unexpected left bracket '['`);
        this.gotColon = false;
        this.gotDuration = false;
        const t = this.emit('[');
        while (isSpace(this.peekChar())) this.pos++;
        this.start = this.pos;
        this.bracketOpen = true;
        this.mode = 'duration';
        return t;
      }
      case ']':
        if (!this.bracketOpen) return this.error(`unexpected right bracket ']'`);
        this.bracketOpen = false;
        return this.emit(']');
    }
    if (isDigit(c) || (c === '.' && isDigit(this.peekChar()))) {
      this.pos--;
      return this.scanNumberOrDuration();
    }
    if (isAlpha(c) || c === ':') {
      if (!this.bracketOpen) {
        this.pos--;
        return this.scanKeywordOrIdentifier();
      }
      if (c === ':') {
        if (this.gotColon) return this.error(`unexpected colon ':'`);
        this.gotColon = true;
        return this.emit(':');
      }
      if (c === 's' || c === 'S' || c === 'm' || c === 'M') {
        const kw = this.scanDurationKeyword();
        if (kw !== undefined) return kw;
      }
      return this.error(`unexpected character: ${goQuoteRune(c)}, expected ':'`);
    }
    return this.error(`unexpected character: ${goQuoteRune(charAt(this.input, this.pos - 1))}`);
  }

  /** Emits a parenthesis, tracking the nesting depth (an unmatched `)` is an error). */
  private paren(c: '(' | ')'): Token {
    this.parenDepth += c === '(' ? 1 : -1;
    const t = this.emit(c);
    if (this.parenDepth < 0) return this.error(`unexpected right parenthesis ')'`);
    return t;
  }

  private scanDurationKeyword(): Token | undefined {
    while (isAlpha(this.peekChar())) this.pos++;
    const word = this.input.slice(this.start, this.pos).toLowerCase();
    if (word === 'step' || word === 'min' || word === 'max') return this.emit(word);
    return undefined;
  }

  private scanInsideBraces(): Token | undefined {
    if (this.skipComment()) return undefined;
    if (this.pos >= this.input.length) return this.error('unexpected end of input inside braces');
    const c = this.input[this.pos++]!;
    if (isSpace(c)) {
      while (isSpace(this.peekChar())) this.pos++;
      return undefined;
    }
    if (isAlpha(c)) {
      while (isAlnum(this.peekChar())) this.pos++;
      return this.emit('IDENTIFIER');
    }
    switch (c) {
      case ',':
        return this.emit(',');
      case '"': case "'":
        return this.scanString(c);
      case '`':
        return this.scanRawString();
      case '=':
        if (this.peekChar() === '~') {
          this.pos++;
          return this.emit('=~');
        }
        return this.emit('=');
      case '!': {
        const n = this.input.charAt(this.pos++);
        if (n === '~') return this.emit('!~');
        if (n === '=') return this.emit('!=');
        return this.error(`unexpected character after '!' inside braces: ${goQuoteRune(n)}`);
      }
      case '{':
        return this.error(`unexpected left brace '{'`);
      case '}':
        this.mode = this.seriesDesc ? 'values' : 'statements';
        return this.emit('}');
    }
    return this.error(`unexpected character inside braces: ${goQuoteRune(charAt(this.input, this.pos - 1))}`);
  }

  private scanDurationExpr(): Token | undefined {
    if (this.pos >= this.input.length) return this.error('unexpected end of input in duration expression');
    const c = this.input[this.pos++]!;
    switch (c) {
      case ']':
        this.bracketOpen = false;
        this.gotColon = false;
        this.mode = 'statements';
        return this.emit(']');
      case ':': {
        const t = this.emit(':');
        if (!this.gotDuration) return this.error('unexpected colon before duration in duration expression');
        if (this.gotColon) return this.error('unexpected repeated colon in duration expression');
        this.gotColon = true;
        return t;
      }
      case '(':
      case ')':
        return this.paren(c);
      case '+': case '-': case '*': case '/': case '%': case '^': case ',':
        return this.emit(c);
      case 's': case 'S': case 'm': case 'M': {
        const kw = this.scanDurationKeyword();
        if (kw !== undefined) return kw;
        return this.error(`unexpected character in duration expression: ${goQuoteRune(c)}`);
      }
    }
    if (isSpace(c)) {
      while (isSpace(this.peekChar())) this.pos++;
      return undefined;
    }
    if (isDigit(c) || (c === '.' && isDigit(this.peekChar()))) {
      this.pos--;
      this.gotDuration = true;
      this.mode = 'statements';
      return this.scanNumberOrDuration();
    }
    return this.error(`unexpected character in duration expression: ${goQuoteRune(charAt(this.input, this.pos - 1))}`);
  }

  private scanValues(): Token | undefined {
    if (this.pos >= this.input.length) return this.emit('EOF');
    const c = this.input[this.pos++]!;
    if (c === '{' && this.peekChar() === '{') {
      this.pos++;
      return this.emit('OPEN_HIST');
    }
    if (isSpace(c)) {
      while (isSpace(this.peekChar())) this.pos++;
      return this.emit('SPACE');
    }
    switch (c) {
      case '+': case '-':
        return this.emit(c);
      case 'x':
        return this.emit('TIMES');
      case '_':
        return this.emit('BLANK');
    }
    if (isDigit(c) || (c === '.' && isDigit(this.peekChar()))) {
      this.pos--;
      if (!this.scanNumber()) return this.error(`bad number syntax: ${goQuote(this.input.slice(this.start, this.pos))}`);
      return this.emit('NUMBER');
    }
    if (isAlpha(c)) {
      this.pos--;
      return this.scanKeywordOrIdentifier();
    }
    return this.error(`unexpected character in series sequence: ${goQuoteRune(charAt(this.input, this.pos - 1))}`);
  }

  private scanKeywordOrIdentifier(): Token {
    while (isAlnum(this.peekChar()) || this.peekChar() === ':') this.pos++;
    const word = this.input.slice(this.start, this.pos);
    const lower = word.toLowerCase();
    let kind: TokenKind;
    if (KEYWORD_SET.has(lower)) kind = lower as Keyword;
    else if (lower === 'inf' || lower === 'nan') kind = 'NUMBER';
    else kind = word.includes(':') ? 'METRIC_IDENTIFIER' : 'IDENTIFIER';
    const t = this.emit(kind);
    if (this.seriesDesc) this.mode = this.peekChar() === '{' ? 'statements' : 'values';
    return t;
  }

  private scanNumberOrDuration(): Token {
    if (this.scanNumber()) return this.emit('NUMBER');
    // Not a number: continue from where the number scan stopped as a duration (`1h30m`, `500ms`).
    if (this.acceptRemainingDuration()) return this.emit('DURATION');
    return this.error(`bad number or duration syntax: ${goQuote(this.input.slice(this.start, this.pos))}`);
  }

  private is(valid: string): boolean {
    const c = this.peekChar();
    return c !== '' && valid.includes(c);
  }

  private accept(valid: string): boolean {
    const c = this.peekChar();
    if (c !== '' && valid.includes(c)) {
      this.pos++;
      return true;
    }
    return false;
  }

  private acceptRemainingDuration(): boolean {
    if (!this.accept('smhdwy')) return false;
    this.accept('s');
    while (this.accept('0123456789')) {
      while (this.accept('0123456789'));
      if (!this.accept('smhdw')) return false;
      this.accept('s');
    }
    if (isAlnum(this.peekChar())) {
      this.pos++;
      return false;
    }
    return true;
  }

  /** Scans the upstream number shapes; the text is validated again when converted. */
  private scanNumber(): boolean {
    const initial = this.pos;
    let digits = '0123456789';
    if (!this.seriesDesc && this.peekChar() === '0' && (this.peekChar(1) === 'x' || this.peekChar(1) === 'X')) {
      this.pos += 2;
      this.accept('_');
      digits = '0123456789abcdefABCDEF';
    } else if (!this.seriesDesc) {
      this.accept('0');
    }
    this.accept('.');
    this.accept(digits);
    let dot = false;
    let exp = false;
    const loopSet = digits + '._eE';
    while (this.is(loopSet)) {
      if (this.is('.') && dot) {
        this.pos++;
        return false;
      }
      if (this.is('eE') && exp) {
        this.pos++;
        return false;
      }
      if (this.accept('.')) {
        dot = true;
        if (this.accept('_.')) return false;
        if (digits.length > 10) return false;
        continue;
      }
      if (this.accept('eE')) {
        exp = true;
        this.accept('+-');
        if (this.accept('._eE') || this.pos >= this.input.length) return false;
        continue;
      }
      if (this.accept('_')) {
        if (this.accept('._eE') || this.pos >= this.input.length) return false;
        continue;
      }
      while (this.accept(digits));
    }
    if (this.pos === initial) return false;
    const next = this.peekChar();
    return (this.seriesDesc && next === 'x') || !isAlnum(next);
  }

  private scanString(quote: string): Token {
    for (;;) {
      if (this.pos >= this.input.length) return this.error('unterminated quoted string');
      const c = this.input[this.pos++]!;
      if (c === '\\') {
        const err = this.scanEscape(quote);
        if (err !== undefined) return this.error(err);
        continue;
      }
      if (c === '\n') return this.error('unterminated quoted string');
      if (isLoneSurrogate(this.input, this.pos - 1)) return this.error('invalid UTF-8 rune');
      if (c === quote) return this.emit('STRING');
    }
  }

  private scanEscape(quote: string): string | undefined {
    if (this.pos >= this.input.length) return 'escape sequence not terminated';
    const c = charAt(this.input, this.pos);
    this.pos += c.length;
    let n: number;
    let base: number;
    let max: number;
    if ('abfnrtv\\'.includes(c) || c === quote) return undefined;
    if (c >= '0' && c <= '7') {
      this.pos--;
      [n, base, max] = [3, 8, 255];
    } else if (c === 'x') [n, base, max] = [2, 16, 255];
    else if (c === 'u') [n, base, max] = [4, 16, 0x10ffff];
    else if (c === 'U') [n, base, max] = [8, 16, 0x10ffff];
    else return `unknown escape sequence ${goRuneU(c)}`;
    let x = 0;
    for (; n > 0; n--) {
      if (this.pos >= this.input.length) return 'escape sequence not terminated';
      const d = charAt(this.input, this.pos);
      const v = parseInt(d, 16);
      if (Number.isNaN(v) || v >= base || d.length !== 1) {
        return `illegal character ${goRuneU(d)} in escape sequence`;
      }
      this.pos++;
      x = x * base + v;
    }
    if (x > max || (x >= 0xd800 && x < 0xe000)) return 'escape sequence is an invalid Unicode code point';
    return undefined;
  }

  private scanRawString(): Token {
    for (;;) {
      if (this.pos >= this.input.length) return this.error('unterminated raw string');
      const c = this.input[this.pos++]!;
      if (isLoneSurrogate(this.input, this.pos - 1)) return this.error('invalid UTF-8 rune');
      if (c === '`') return this.emit('STRING');
    }
  }
}

/** The whole character (code point) at `i`. */
function charAt(s: string, i: number): string {
  const cp = s.codePointAt(i);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

function isLoneSurrogate(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const n = s.charCodeAt(i + 1);
    return !(n >= 0xdc00 && n <= 0xdfff);
  }
  if (c >= 0xdc00 && c <= 0xdfff) {
    const p = s.charCodeAt(i - 1);
    return !(p >= 0xd800 && p <= 0xdbff);
  }
  return false;
}
