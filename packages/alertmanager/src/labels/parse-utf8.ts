import { AlertmanagerError } from '../errors.js';
import { isGoSpace, isReserved } from './chars.js';
import { goUnquote } from './go-unquote.js';
import { Matcher, MatchType } from './matcher.js';

// A port of upstream's UTF-8 matcher lexer and parser (matcher/parse), including its error texts,
// whose `start:end` columns count code points. Inputs are handled as arrays of code points, so
// offsets and columns coincide.

type Kind = 'EOF' | 'OpenBrace' | 'CloseBrace' | 'Comma' | 'Equals' | 'NotEquals' | 'Matches' | 'NotMatches' | 'Quoted' | 'Unquoted';

interface Token {
  kind: Kind;
  value: string;
  start: number;
  end: number;
}

const EOF = '';

/** Raised inside the parser; turned into an {@link AlertmanagerError} at the boundary. */
class ParseFailure extends Error {}
const END_OF_INPUT = 'end of input';

class Lexer {
  err: ParseFailure | undefined;
  private start = 0;
  private pos = 0;
  private width = 0;

  constructor(readonly input: readonly string[]) {}

  scan(): Token {
    if (this.err) throw this.err;
    for (let r = this.next(); r !== EOF; r = this.next()) {
      if (r === '{') return this.emit('OpenBrace');
      if (r === '}') return this.emit('CloseBrace');
      if (r === ',') return this.emit('Comma');
      if (r === '=' || r === '!') {
        this.rewind();
        return this.guard(() => this.scanOperator());
      }
      if (r === '"') {
        this.rewind();
        return this.guard(() => this.scanQuoted());
      }
      if (!isReserved(r)) {
        this.rewind();
        return this.scanUnquoted();
      }
      if (isGoSpace(r)) this.skip();
      else throw (this.err = new ParseFailure(`${this.start}:${this.pos}: ${this.slice()}: invalid input`));
    }
    return { kind: 'EOF', value: '', start: this.start, end: this.pos };
  }

  /** The next token without consuming it; an error stays recorded for the next scan. */
  peek(): Token {
    const { start, pos, width } = this;
    try {
      return this.scan();
    } finally {
      this.start = start;
      this.pos = pos;
      this.width = width;
    }
  }

  get columnEnd(): number {
    return this.pos;
  }

  private guard(scan: () => Token): Token {
    try {
      return scan();
    } catch (err) {
      if (err instanceof ParseFailure) this.err = err;
      throw err;
    }
  }

  private scanOperator(): Token {
    if (this.accept('!')) {
      if (this.accept('=')) return this.emit('NotEquals');
      if (this.accept('~')) return this.emit('NotMatches');
      throw this.expected('=~');
    }
    if (this.accept('=')) return this.emit(this.accept('~') ? 'Matches' : 'Equals');
    throw this.expected('!=');
  }

  private scanQuoted(): Token {
    if (!this.accept('"')) throw this.expected('"');
    let escaped = false;
    for (let r = this.next(); r !== EOF; r = this.next()) {
      if (escaped) escaped = false;
      else if (r === '\\') escaped = true;
      else if (r === '"') {
        this.rewind();
        break;
      }
    }
    if (!this.accept('"')) throw new ParseFailure(`${this.start}:${this.pos}: ${this.slice()}: missing end "`);
    return this.emit('Quoted');
  }

  private scanUnquoted(): Token {
    for (let r = this.next(); r !== EOF; r = this.next()) {
      if (isReserved(r)) {
        this.rewind();
        break;
      }
    }
    return this.emit('Unquoted');
  }

  private expected(what: string): ParseFailure {
    if (this.pos >= this.input.length) return new ParseFailure(`${this.start}:${this.pos}: unexpected end of input, expected one of '${what}'`);
    return new ParseFailure(`${this.start}:${this.pos}: ${this.slice()}: expected one of '${what}'`);
  }

  private accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF && valid.includes(r)) return true;
    this.rewind();
    return false;
  }

  private emit(kind: Kind): Token {
    const t = { kind, value: this.slice(), start: this.start, end: this.pos };
    this.start = this.pos;
    return t;
  }

  private slice(): string {
    return this.input.slice(this.start, this.pos).join('');
  }

  private next(): string {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    this.width = 1;
    return this.input[this.pos++]!;
  }

  private rewind(): void {
    this.pos -= this.width;
  }

  private skip(): void {
    this.start = this.pos;
  }
}

const OPERATORS: Partial<Record<Kind, MatchType>> = { Equals: MatchType.Equal, NotEquals: MatchType.NotEqual, Matches: MatchType.Regexp, NotMatches: MatchType.NotRegexp };

class Parser {
  readonly matchers: Matcher[] = [];
  private hasOpenBrace = false;

  constructor(private readonly l: Lexer) {}

  parse(): Matcher[] {
    let state: (() => unknown) | undefined = () => this.openBrace();
    while (state !== undefined) state = state() as (() => unknown) | undefined;
    return this.matchers;
  }

  private openBrace(): (() => unknown) | undefined {
    const first = this.peekOrEnd();
    if (first === undefined) return () => this.eof();
    this.hasOpenBrace = first.kind === 'OpenBrace';
    if (this.hasOpenBrace) this.l.scan();
    const next = this.peekOrEnd();
    if (next === undefined || next.kind === 'CloseBrace') return () => this.closeBrace();
    return () => this.matcher();
  }

  private closeBrace(): (() => unknown) | undefined {
    if (this.hasOpenBrace) {
      try {
        this.expect('CloseBrace');
      } catch (err) {
        throw new ParseFailure(`0:${this.l.columnEnd}: ${(err as Error).message}: expected close brace`);
      }
    } else {
      let closed = true;
      try {
        this.expect('CloseBrace');
      } catch {
        closed = false;
      }
      if (closed) throw new ParseFailure(`0:${this.l.columnEnd}: }: expected opening brace`);
    }
    return () => this.eof();
  }

  private matcher(): (() => unknown) | undefined {
    const nameToken = this.wrap(() => this.expect('Quoted', 'Unquoted'), 'expected label name');
    const name = unquote(nameToken);
    const op = this.wrap(() => this.expect('Equals', 'NotEquals', 'Matches', 'NotMatches'), "expected an operator such as '=', '!=', '=~' or '!~'");
    const value = unquote(this.wrap(() => this.expect('Unquoted', 'Quoted'), 'expected label value'));
    try {
      this.matchers.push(new Matcher(OPERATORS[op.kind]!, name, value));
    } catch (err) {
      throw new ParseFailure(`failed to create matcher: ${(err as Error).message}`);
    }
    return () => this.endOfMatcher();
  }

  private endOfMatcher(): (() => unknown) | undefined {
    const t = this.expectPeekOrEnd(['Comma', 'CloseBrace'], 'expected a comma or close brace');
    if (t === undefined || t.kind === 'CloseBrace') return () => this.closeBrace();
    return () => this.comma();
  }

  private comma(): (() => unknown) | undefined {
    this.wrap(() => this.expect('Comma'), 'expected a comma');
    const t = this.expectPeekOrEnd(['CloseBrace', 'Unquoted', 'Quoted'], 'expected a matcher or close brace after comma');
    if (t === undefined || t.kind === 'CloseBrace') return () => this.closeBrace();
    return () => this.matcher();
  }

  private eof(): undefined {
    const t = this.wrap(() => this.l.scan(), 'expected end of input');
    if (t.kind !== 'EOF') throw new ParseFailure(`${t.start}:${t.end}: ${t.value}: expected end of input`);
    return undefined;
  }

  /** The next token, or undefined at the end of the input. */
  private peekOrEnd(): Token | undefined {
    const t = this.l.peek();
    return t.kind === 'EOF' ? undefined : t;
  }

  /** Like expectPeek, but the end of input is not an error (undefined). */
  private expectPeekOrEnd(kinds: Kind[], context: string): Token | undefined {
    try {
      return this.expectPeek(...kinds);
    } catch (err) {
      if ((err as Error).message === END_OF_INPUT) return undefined;
      throw new ParseFailure(`${(err as Error).message}: ${context}`);
    }
  }

  private wrap(read: () => Token, context: string): Token {
    try {
      return read();
    } catch (err) {
      throw new ParseFailure(`${(err as Error).message}: ${context}`);
    }
  }

  private expect(...kinds: Kind[]): Token {
    const t = this.expectPeek(...kinds);
    this.l.scan();
    return t;
  }

  private expectPeek(...kinds: Kind[]): Token {
    const t = this.l.peek();
    if (t.kind === 'EOF') throw new ParseFailure(END_OF_INPUT);
    if (!kinds.includes(t.kind)) throw new ParseFailure(`${t.start}:${t.end}: unexpected ${t.value}`);
    return t;
  }
}

function unquote(t: Token): string {
  if (t.kind !== 'Quoted') return t.value;
  const value = goUnquote(t.value);
  if (value === undefined) throw new ParseFailure(`${t.start}:${t.end}: ${t.value}: invalid input`);
  return value;
}

/** Upstream's UTF-8 parser (`matcher/parse.Matchers`): `{a="b", c=~"d"}`, braces optional, UTF-8 names and values. */
export function parseUtf8Matchers(input: string): Matcher[] {
  try {
    return new Parser(new Lexer([...input])).parse();
  } catch (err) {
    if (err instanceof ParseFailure) throw new AlertmanagerError('invalid_matcher', err.message);
    throw err;
  }
}

/** Exactly one matcher (`matcher/parse.Matcher`). */
export function parseUtf8Matcher(input: string): Matcher {
  const matchers = parseUtf8Matchers(input);
  if (matchers.length === 1) return matchers[0]!;
  throw new AlertmanagerError('invalid_matcher', matchers.length === 0 ? 'no matchers' : `expected 1 matcher, found ${matchers.length}`);
}
