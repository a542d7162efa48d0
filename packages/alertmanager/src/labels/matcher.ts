import { compareUtf8, goQuote, MatchType, type Labels } from '@pyrometer/model';
import type { RE2JS } from 're2js';
import { AlertmanagerError } from '../errors.js';
import { isReserved } from './chars.js';
import { compileAnchored } from './regex.js';

export { MatchType };

/** The order upstream sorts matcher types in (the order of its `MatchType` constants). */
const TYPE_ORDER: Record<MatchType, number> = { '=': 0, '!=': 1, '=~': 2, '!~': 3 };

/**
 * An Alertmanager label matcher (`pkg/labels.Matcher`): `name op value`, where an absent label
 * matches as the empty string and regular expressions are RE2 anchored as `^(?:value)$` — unlike
 * PromQL, `.` does not match a newline. Immutable; the regex is compiled once, at construction,
 * which throws an `invalid_matcher` {@link AlertmanagerError} with Go's regexp message.
 */
export class Matcher {
  private readonly regex: RE2JS | undefined;

  constructor(readonly type: MatchType, readonly name: string, readonly value: string) {
    if (type === MatchType.Regexp || type === MatchType.NotRegexp) {
      try {
        this.regex = compileAnchored(value);
      } catch (err) {
        throw new AlertmanagerError('invalid_matcher', (err as Error).message, { cause: err });
      }
    }
  }

  /** Whether a label value (`''` for an absent label) satisfies this matcher. */
  matches(value: string): boolean {
    switch (this.type) {
      case MatchType.Equal:
        return value === this.value;
      case MatchType.NotEqual:
        return value !== this.value;
      case MatchType.Regexp:
        return this.regex!.test(value);
      case MatchType.NotRegexp:
        return !this.regex!.test(value);
    }
  }

  get isRegex(): boolean {
    return this.type === MatchType.Regexp || this.type === MatchType.NotRegexp;
  }

  /** True for `=` and `=~` (the API's `isEqual`). */
  get isEqual(): boolean {
    return this.type === MatchType.Equal || this.type === MatchType.Regexp;
  }

  /** Upstream's text form: `name="value"` with `\`, `"` and newlines escaped; names with reserved characters quoted. */
  toString(): string {
    if ([...this.name].some(isReserved)) return `${goQuote(this.name)}${this.type}${goQuote(this.value)}`;
    return `${this.name}${this.type}"${this.value.replace(/[\\\n"]/g, (c) => (c === '\n' ? '\\n' : '\\' + c))}"`;
  }

  equals(other: Matcher): boolean {
    return this.type === other.type && this.name === other.name && this.value === other.value;
  }

  /** Builds a matcher from the API's `{name, value, isRegex, isEqual}` form. */
  static fromApi(name: string, value: string, isRegex: boolean, isEqual: boolean): Matcher {
    const type = isRegex ? (isEqual ? MatchType.Regexp : MatchType.NotRegexp) : isEqual ? MatchType.Equal : MatchType.NotEqual;
    return new Matcher(type, name, value);
  }
}

/** Upstream's matcher order: by name, then value, then type. */
export function compareMatchers(a: Matcher, b: Matcher): number {
  return compareUtf8(a.name, b.name) || compareUtf8(a.value, b.value) || TYPE_ORDER[a.type] - TYPE_ORDER[b.type];
}

/** True when every matcher accepts the label set. */
export function matchesAll(matchers: readonly Matcher[], labels: Labels): boolean {
  for (const m of matchers) if (!m.matches(labels.get(m.name))) return false;
  return true;
}

/** `{a="1",b=~"x"}`: upstream's `Matchers.String()`, used in route keys and group keys. */
export function formatMatchers(matchers: readonly Matcher[]): string {
  return `{${matchers.map((m) => m.toString()).join(',')}}`;
}
