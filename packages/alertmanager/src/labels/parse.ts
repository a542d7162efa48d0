import { isLegacyLabelName, isValidLabelName } from '@pyrometer/model';
import { AlertmanagerError } from '../errors.js';
import type { Matcher } from './matcher.js';
import { parseClassicMatcher, parseClassicMatchers } from './parse-classic.js';
import { parseUtf8Matcher, parseUtf8Matchers } from './parse-utf8.js';

/**
 * Upstream's three parsing modes (`--enable-feature=classic-mode|utf8-strict-mode`): the default
 * tries the UTF-8 parser first and falls back to the classic one, so old configs keep working.
 */
export type MatcherMode = 'fallback' | 'classic' | 'utf8-strict';

/** Told when the fallback mode had to use the classic parser (upstream logs a warning). */
export type FallbackListener = (input: string, origin: string, suggestion: string) => void;

/**
 * Parses matchers from config strings (`matchers:` lists), API `filter` parameters and amtool
 * input, and validates label names, all according to one {@link MatcherMode}. Stateless and
 * shareable; errors are `invalid_matcher` {@link AlertmanagerError}s with upstream's messages.
 */
export interface MatcherParser {
  readonly mode: MatcherMode;
  /** One matcher, e.g. an API `filter` value. `origin` ("config", "api") only goes to the listener. */
  matcher(input: string, origin: string): Matcher;
  /** A list, e.g. `{a="b",c!="d"}` or `a=b`, as a config `matchers:` element. */
  matchers(input: string, origin: string): Matcher[];
  /** Label names in group_by, equal, alerts and silences: legacy rules in classic mode, any non-empty UTF-8 otherwise. */
  isValidLabelName(name: string): boolean;
}

export function matcherParser(mode: MatcherMode = 'fallback', onFallback: FallbackListener = () => undefined): MatcherParser {
  const isValid = mode === 'classic' ? isLegacyLabelName : isValidLabelName;
  const braces = (input: string): void => {
    if (input.startsWith('{') || input.endsWith('}')) throw new AlertmanagerError('invalid_matcher', `unexpected open or close brace: ${input}`);
  };
  switch (mode) {
    case 'classic':
      return { mode, isValidLabelName: isValid, matcher: (input) => parseClassicMatcher(input), matchers: (input) => parseClassicMatchers(input) };
    case 'utf8-strict':
      return {
        mode,
        isValidLabelName: isValid,
        matcher: (input) => {
          braces(input);
          return parseUtf8Matcher(input);
        },
        matchers: (input) => parseUtf8Matchers(input),
      };
    case 'fallback':
      return {
        mode,
        isValidLabelName: isValid,
        matcher: (input, origin) => {
          braces(input);
          return withFallback(() => [parseUtf8Matcher(input)], () => [parseClassicMatcher(input)], input, origin, onFallback)[0]!;
        },
        matchers: (input, origin) => withFallback(() => parseUtf8Matchers(input), () => parseClassicMatchers(input), input, origin, onFallback),
      };
  }
}

function attempt(parse: () => Matcher[]): { ok: Matcher[] } | { err: unknown } {
  try {
    return { ok: parse() };
  } catch (err) {
    return { err };
  }
}

// Both parsers run: the UTF-8 result wins unless it fails (then classic, with a notice) or the two
// disagree (then classic, as upstream does, so that existing configs keep their meaning).
function withFallback(utf8: () => Matcher[], classic: () => Matcher[], input: string, origin: string, onFallback: FallbackListener): Matcher[] {
  const n = attempt(utf8);
  const c = attempt(classic);
  if ('err' in n) {
    if ('err' in c) throw c.err;
    onFallback(input, origin, c.ok.map((m) => m.toString()).join(','));
    return c.ok;
  }
  if ('ok' in c && (c.ok.length !== n.ok.length || c.ok.some((m, i) => !m.equals(n.ok[i]!)))) return c.ok;
  return n.ok;
}
