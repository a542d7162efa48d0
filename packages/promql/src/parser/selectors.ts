import { AnchoredRegex, goQuote, isValidLabelName, Matcher, MatchType, METRIC_NAME_LABEL, RegexSyntaxError } from '@pyrometer/model';
import type { VectorSelector } from './ast.js';
import type { Token, TokenKind } from './tokens.js';
import { unquote } from './literals.js';
import { tokenRange, type TokenStream } from './stream.js';

/** Keywords that may also name a metric (upstream's metric_identifier). */
export const METRIC_KEYWORDS: ReadonlySet<TokenKind> = new Set<TokenKind>([
  'avg', 'bottomk', 'by', 'count', 'count_values', 'group', 'and', 'or', 'unless', 'max', 'min', 'offset',
  'quantile', 'stddev', 'stdvar', 'sum', 'topk', 'without', 'start', 'end', 'limitk', 'limit_ratio', 'step',
  'anchored', 'smoothed',
]);

/** Keywords that may also name a label in grouping clauses (upstream's maybe_label). */
const LABEL_KEYWORDS: ReadonlySet<TokenKind> = new Set<TokenKind>([
  ...METRIC_KEYWORDS, 'bool', 'group_left', 'group_right', 'ignoring', 'on', 'atan2',
]);

const MATCH_OPS: Readonly<Partial<Record<TokenKind, MatchType>>> = {
  '=': MatchType.Equal,
  '!=': MatchType.NotEqual,
  '=~': MatchType.Regexp,
  '!~': MatchType.NotRegexp,
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A vector selector as built by the parser, before modifiers are attached. */
export type MutableVectorSelector = Mutable<VectorSelector>;

/** True when a token can start a metric name. */
export function isMetricNameToken(kind: TokenKind): boolean {
  return kind === 'IDENTIFIER' || kind === 'METRIC_IDENTIFIER' || METRIC_KEYWORDS.has(kind);
}

/**
 * Parses `name`, `name{…}` or `{…}` at the current token. The implicit `__name__` matcher for a
 * name outside the braces is appended last, as upstream does.
 */
export function parseVectorSelector(s: TokenStream): MutableVectorSelector {
  const first = s.peek();
  let name = '';
  let start = first.pos;
  if (first.kind !== '{') {
    name = s.next().text;
    start = first.pos;
  }
  const matchers: Matcher[] = [];
  let end = s.lastEnd;
  if (s.peek().kind === '{') {
    s.next();
    parseLabelMatchers(s, matchers);
    end = s.lastEnd;
  }
  if (name !== '') matchers.push(new Matcher(MatchType.Equal, METRIC_NAME_LABEL, name));
  return {
    type: 'VectorSelector', name, matchers, offset: 0, offsetExpr: undefined, timestamp: undefined,
    startOrEnd: undefined, anchored: false, smoothed: false, pos: { start, end },
  };
}

/** Parses the matchers after `{` up to and including `}`. */
function parseLabelMatchers(s: TokenStream, out: Matcher[]): void {
  for (;;) {
    const t = s.peek();
    if (t.kind === '}') {
      s.next();
      return;
    }
    if (t.kind !== 'IDENTIFIER' && t.kind !== 'STRING') s.unexpected('label matching', 'identifier or "}"');
    s.next();
    const label = t.kind === 'STRING' ? unquote(t.text) : t.text;
    const opTok = s.peek();
    const op = MATCH_OPS[opTok.kind];
    if (op === undefined) {
      if (t.kind === 'IDENTIFIER') s.unexpected('label matching', 'label matching operator');
      out.push(nameMatcher(s, t, label));
    } else {
      s.next();
      const v = s.expect('STRING', 'label matching', 'string');
      out.push(newMatcher(s, op, label, unquote(v.text), t, v));
    }
    const sep = s.peek();
    if (sep.kind === ',') s.next();
    else if (sep.kind !== '}') s.unexpected('label matching', '"," or "}"');
  }
}

function nameMatcher(s: TokenStream, t: Token, name: string): Matcher {
  return newMatcher(s, MatchType.Equal, METRIC_NAME_LABEL, name, t, t);
}

function newMatcher(s: TokenStream, op: MatchType, name: string, value: string, from: Token, to: Token): Matcher {
  const limit = s.options.maxRegexLength;
  if (limit > 0 && (op === MatchType.Regexp || op === MatchType.NotRegexp) && value.length > limit && AnchoredRegex.needsCompiling(value)) {
    s.fail({ start: from.pos, end: to.pos + to.text.length }, `regular expression of ${value.length} characters exceeds the limit of ${limit}`);
  }
  try {
    return new Matcher(op, name, value);
  } catch (err) {
    const reason = err instanceof RegexSyntaxError ? err.detail : String(err);
    return s.fail({ start: from.pos, end: to.pos + to.text.length }, reason);
  }
}

/** Parses `(label, …)` of by/without/on/ignoring/group_left/group_right; trailing comma allowed. */
export function parseGroupingLabels(s: TokenStream): string[] {
  if (s.peek().kind !== '(') s.unexpected('grouping opts', '"("');
  s.next();
  const labels: string[] = [];
  if (s.accept(')') !== undefined) return labels;
  for (;;) {
    const t = s.peek();
    let label: string;
    if (t.kind === 'STRING') label = unquote(t.text);
    else if (t.kind === 'IDENTIFIER' || t.kind === 'METRIC_IDENTIFIER' || LABEL_KEYWORDS.has(t.kind)) label = t.text;
    else s.unexpected('grouping opts', 'label');
    if (!isValidLabelName(label)) s.fail(tokenRange(t, s.input), `invalid label name for grouping: ${goQuote(label)}`);
    s.next();
    labels.push(label);
    if (s.accept(',') !== undefined) {
      if (s.accept(')') !== undefined) return labels;
      continue;
    }
    if (s.accept(')') !== undefined) return labels;
    s.unexpected('grouping opts', '"," or ")"');
  }
}
