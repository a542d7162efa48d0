import { goQuote } from '@pyrometer/model';

/**
 * Token kinds. Punctuation and operators are their own spelling, keywords their lowercase
 * spelling; the upper-case names are token classes. SPACE, BLANK, TIMES and OPEN_HIST only occur
 * in series descriptions.
 */
export type TokenKind =
  | 'EOF' | 'ERROR' | 'IDENTIFIER' | 'METRIC_IDENTIFIER' | 'NUMBER' | 'DURATION' | 'STRING'
  | 'SPACE' | 'BLANK' | 'TIMES' | 'OPEN_HIST'
  | '(' | ')' | '{' | '}' | '[' | ']' | ',' | '=' | ':' | '@'
  | '+' | '-' | '*' | '/' | '%' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '=~' | '!~'
  | Keyword;

const KEYWORDS = [
  'and', 'or', 'unless', 'atan2',
  'sum', 'avg', 'count', 'min', 'max', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'count_values',
  'quantile', 'limitk', 'limit_ratio',
  'offset', 'smoothed', 'anchored', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool',
  'start', 'end', 'step',
] as const;
/** The reserved words, matched case-insensitively (some may also be names where the grammar allows). */
export type Keyword = (typeof KEYWORDS)[number];
/** The keywords as a set of lowercase strings. */
export const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);

/** The aggregation operators. */
export const AGGREGATORS: ReadonlySet<TokenKind> = new Set<TokenKind>([
  'sum', 'avg', 'count', 'min', 'max', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'count_values',
  'quantile', 'limitk', 'limit_ratio',
]);
const OPERATORS: ReadonlySet<TokenKind> = new Set<TokenKind>([
  '+', '/', '==', '=~', '>=', '>', 'and', 'or', '<', '<=', 'unless', '%', '*', '!=', '!~', '^', '-', '@', 'atan2',
]);
const KEYWORD_ITEMS: ReadonlySet<TokenKind> = new Set<TokenKind>([
  'bool', 'by', 'group_left', 'group_right', 'ignoring', 'offset', 'smoothed', 'anchored', 'on', 'without',
]);

/** A lexed token: `pos` is the offset of its first character, `text` its source text (the message for ERROR). */
export interface Token {
  readonly kind: TokenKind;
  readonly pos: number;
  readonly text: string;
}

/** The end offset of a token in the input (ERROR tokens end at the end of the input). */
export function tokenEnd(t: Token, input: string): number {
  return t.kind === 'ERROR' || t.kind === 'EOF' ? input.length : t.pos + t.text.length;
}

/** How a token is named in "unexpected …" messages, as upstream names it. */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case 'EOF':
      return 'end of input';
    case 'ERROR':
      return t.text;
    case 'IDENTIFIER':
      return `identifier ${goQuote(t.text)}`;
    case 'METRIC_IDENTIFIER':
      return `metric identifier ${goQuote(t.text)}`;
    case 'NUMBER':
    case 'DURATION':
    case 'STRING': {
      const name = t.kind === 'NUMBER' ? 'number' : t.kind === 'DURATION' ? 'duration' : 'string';
      return `${name} ${shortQuote(t.text)}`;
    }
    default:
      if (OPERATORS.has(t.kind)) return `<op:${t.text}>`;
      if (AGGREGATORS.has(t.kind)) return `<aggr:${t.text}>`;
      if (KEYWORD_ITEMS.has(t.kind)) return `<${t.text}>`;
      return shortQuote(t.text);
  }
}

function shortQuote(s: string): string {
  // Go's %.10q: the first ten characters, quoted, then "...".
  return s.length > 10 ? `${goQuote(s.slice(0, 10))}...` : goQuote(s);
}

/** Go's %q for a single character: 'x'. */
export function goQuoteRune(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '\\') return "'\\\\'";
  if (c === '\n') return "'\\n'";
  if (c === '\t') return "'\\t'";
  if (c === '\r') return "'\\r'";
  return `'${c}'`;
}

/** Go's %#U: U+0063 'c'. */
export function goRuneU(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}

