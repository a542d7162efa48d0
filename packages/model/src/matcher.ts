import { goQuote } from './go-quote.js';
import { isLegacyLabelName } from './label-names.js';
import type { Labels } from './labels.js';
import { AnchoredRegex } from './regex.js';

/** The four matcher operators of PromQL selectors, relabel-free. */
export const MatchType = {
  Equal: '=',
  NotEqual: '!=',
  Regexp: '=~',
  NotRegexp: '!~',
} as const;
export type MatchType = (typeof MatchType)[keyof typeof MatchType];

/**
 * A label matcher with Prometheus semantics: `name op "value"`, where an absent label matches as
 * the empty string and regular expressions are RE2, fully anchored, with `.` matching newlines.
 * Construction compiles the regex once (throwing `RegexSyntaxError` on bad syntax); `matches` is
 * then cheap and runs in linear time. Instances are immutable and safe to share.
 */
export class Matcher {
  private readonly regex: AnchoredRegex | undefined;

  constructor(readonly type: MatchType, readonly name: string, readonly value: string) {
    this.regex = type === MatchType.Regexp || type === MatchType.NotRegexp ? new AnchoredRegex(value) : undefined;
  }

  /** Whether a label value (`''` for an absent label) satisfies this matcher. */
  matches(value: string): boolean {
    switch (this.type) {
      case MatchType.Equal:
        return value === this.value;
      case MatchType.NotEqual:
        return value !== this.value;
      case MatchType.Regexp:
        return this.regex!.matches(value);
      case MatchType.NotRegexp:
        return !this.regex!.matches(value);
    }
  }

  /** Whether the series with these labels satisfies this matcher. */
  matchesLabels(labels: Labels): boolean {
    return this.matches(labels.get(this.name));
  }

  /** True when the matcher accepts the empty string, i.e. it also selects series lacking the label. */
  matchesEmpty(): boolean {
    return this.matches('');
  }

  /** For `=~` matchers that are a plain alternation of literals (`a|b|c`), the literals; else undefined. */
  setMatches(): string[] | undefined {
    return this.type === MatchType.Regexp ? this.regex!.literalAlternatives() : undefined;
  }

  /** `name="value"` as PromQL prints it (UTF-8 names quoted). */
  toString(): string {
    const name = isLegacyLabelName(this.name) ? this.name : goQuote(this.name);
    return `${name}${this.type}${goQuote(this.value)}`;
  }
}

/** True when every matcher accepts the series with these labels. */
export function matchesAll(matchers: readonly Matcher[], labels: Labels): boolean {
  for (const m of matchers) if (!m.matchesLabels(labels)) return false;
  return true;
}
