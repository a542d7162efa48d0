import type { PositionRange } from './ast.js';
import { MAX_EXPRESSION_DEPTH, tooDeepMessage } from './depth.js';
import { ParseError, type ParseErrorCode } from './errors.js';
import { Lexer } from './lexer.js';
import { describeToken, tokenEnd, type Token, type TokenKind } from './tokens.js';

/**
 * Parser options. All experimental features are off by default, as in Prometheus.
 * - `enableExperimentalFunctions`: functions and aggregations marked experimental
 *   (`--enable-feature=promql-experimental-functions`).
 * - `enableExperimentalDurationExpr`: arithmetic in ranges, steps and offsets
 *   (`--enable-feature=promql-duration-expr`).
 * - `enableExtendedRangeSelectors`: the `anchored` and `smoothed` modifiers
 *   (`--enable-feature=promql-extended-range-selectors`).
 * - `maxRegexLength`: the longest pattern (in UTF-16 code units) a `=~`/`!~` matcher may have when
 *   it needs compiling, 0 for no limit; a longer one is a parse error at the matcher, before
 *   anything is compiled. Literal alternations (`a|b|c`) and the other shapes answered without an
 *   automaton are not limited: they cost a `Set`, not a compilation.
 */
export interface ParserOptions {
  readonly enableExperimentalFunctions: boolean;
  readonly enableExperimentalDurationExpr: boolean;
  readonly enableExtendedRangeSelectors: boolean;
  readonly maxRegexLength: number;
}

/** Options with every experimental feature disabled and no regex length limit. Returns a new object. */
export function defaultParserOptions(): ParserOptions {
  return { enableExperimentalFunctions: false, enableExperimentalDurationExpr: false, enableExtendedRangeSelectors: false, maxRegexLength: 0 };
}

/**
 * A one-token-lookahead view of the lexer with the error helpers every grammar part uses. The
 * first error ends parsing: it is thrown as a ParseError (upstream collects several but shows
 * only the first).
 */
export class TokenStream {
  private readonly lexer: Lexer;
  private current: Token;
  private second: Token | undefined;
  /** End offset of the last consumed token. */
  lastEnd = 0;
  /** How many grammar rules that may recurse are active (see {@link enter}). */
  private depth = 0;

  constructor(
    readonly input: string,
    readonly options: ParserOptions,
    seriesDesc = false,
  ) {
    this.lexer = new Lexer(input, seriesDesc);
    this.current = this.lexer.next();
  }

  /** The next token without consuming it; a lexing error is raised here. */
  peek(): Token {
    if (this.current.kind === 'ERROR') this.fail({ start: this.current.pos, end: this.input.length }, this.current.text);
    return this.current;
  }

  /** Consumes and returns the next token. */
  next(): Token {
    const t = this.peek();
    this.lastEnd = tokenEnd(t, this.input);
    this.current = this.second ?? this.lexer.next();
    this.second = undefined;
    return t;
  }

  /** The token after the next one, without consuming anything; never raises (an ERROR token is returned as is). */
  peekAfter(): Token {
    if (this.current.kind === 'ERROR' || this.current.kind === 'EOF') return this.current;
    this.second ??= this.lexer.next();
    return this.second;
  }

  /**
   * Drops the lookahead and continues lexing series values at `pos`: the caller scanned the input
   * up to there itself (native histogram literals have a grammar of their own).
   */
  resumeValuesAt(pos: number): void {
    this.lexer.resumeValuesAt(pos);
    this.lastEnd = pos;
    this.current = this.lexer.next();
    this.second = undefined;
  }

  /** Consumes the next token when it has this kind. */
  accept(kind: TokenKind): Token | undefined {
    return this.peek().kind === kind ? this.next() : undefined;
  }

  /** Consumes a token of this kind or fails with an "unexpected" error in this context. */
  expect(kind: TokenKind, context: string, expected: string): Token {
    if (this.peek().kind !== kind) this.unexpected(context, expected);
    return this.next();
  }

  /**
   * Enters a grammar rule that may recurse (a sub-expression), refusing to nest deeper than
   * MAX_EXPRESSION_DEPTH, so the parser never overflows the stack; `leave` when it returns. (A
   * wrapper taking the rule as a callback would cost two stack frames per level.)
   */
  enter(): void {
    if (this.depth >= MAX_EXPRESSION_DEPTH) this.fail(tokenRange(this.peek(), this.input), tooDeepMessage());
    this.depth++;
  }

  leave(): void {
    this.depth--;
  }

  /** Throws a ParseError for this range. */
  fail(pos: PositionRange, reason: string, code: ParseErrorCode = 'syntax'): never {
    throw new ParseError(code, reason, pos, this.input);
  }

  /** Throws `unexpected <next token>[ in context][, expected …]` at the next token. */
  unexpected(context = '', expected = ''): never {
    const t = this.peek();
    let msg = `unexpected ${describeToken(t)}`;
    if (context !== '') msg += ` in ${context}`;
    if (expected !== '') msg += `, expected ${expected}`;
    this.fail(tokenRange(t, this.input), msg);
  }
}

/** The range a token covers; EOF is the empty range at the end. */
export function tokenRange(t: Token, input: string): PositionRange {
  return t.kind === 'EOF' ? { start: input.length, end: input.length } : { start: t.pos, end: t.pos + t.text.length };
}
