import type { Matcher } from '@pyrometer/model';
import { isMetricNameToken, parseVectorSelector } from './selectors.js';
import { defaultParserOptions, TokenStream, type ParserOptions } from './stream.js';

/**
 * Parses a bare series selector as the HTTP API's `match[]` parameter takes it (`foo{a="b"}`,
 * `{__name__=~"x.*"}`) into its matchers, the name matcher included. Offsets, ranges and
 * operators are rejected; the "at least one non-empty matcher" rule is left to the caller, as
 * upstream's API applies it separately. Of the options, only `maxRegexLength` matters. Throws ParseError.
 */
export function parseMetricSelector(input: string, options: Partial<ParserOptions> = {}): Matcher[] {
  const s = new TokenStream(input, { ...defaultParserOptions(), ...options });
  const t = s.peek();
  if (t.kind !== '{' && !isMetricNameToken(t.kind)) s.unexpected();
  const vs = parseVectorSelector(s);
  if (s.peek().kind !== 'EOF') s.unexpected();
  return [...vs.matchers];
}
