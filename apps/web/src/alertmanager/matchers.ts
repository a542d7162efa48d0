import type { AmMatcher } from '@pyrometer/http-api';

/** A matcher error naming the text that could not be read. */
export class MatcherSyntaxError extends Error {}

const MATCHER = /^\s*([^\s=!~"{},]+|"(?:[^"\\]|\\.)*")\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|[^\s",}]*)\s*$/;

/**
 * Reads `{a="b", c=~"d.*"}` (braces optional, values quoted or bare, as amtool and the
 * Alertmanager's own UI accept) into API matchers. Throws {@link MatcherSyntaxError} naming the
 * part it cannot read. The Alertmanager validates again on submission.
 */
export function parseMatchers(text: string): AmMatcher[] {
  let body = text.trim();
  if (body.startsWith('{') !== body.endsWith('}')) throw new MatcherSyntaxError(`unbalanced braces in ${JSON.stringify(text)}`);
  if (body.startsWith('{')) body = body.slice(1, -1);
  if (body.trim() === '') return [];
  return splitOutsideQuotes(body).map((part) => {
    const m = MATCHER.exec(part);
    if (m === null) throw new MatcherSyntaxError(`cannot read the matcher ${JSON.stringify(part.trim())}: expected name="value" with =, !=, =~ or !~`);
    const unquote = (s: string) => (s.startsWith('"') ? (JSON.parse(s) as string) : s);
    return { name: unquote(m[1]!), value: unquote(m[3]!), isRegex: m[2]!.includes('~'), isEqual: !m[2]!.startsWith('!') };
  });
}

function splitOutsideQuotes(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && quoted) {
      current += c + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  if (quoted) throw new MatcherSyntaxError(`unterminated quote in ${JSON.stringify(text)}`);
  if (current.trim() !== '') parts.push(current);
  return parts;
}

/** `name="value"` with the matcher's operator. */
export function matcherText(m: AmMatcher): string {
  return `${m.name}${m.isEqual === false ? '!' : '='}${m.isRegex ? '~' : m.isEqual === false ? '=' : ''}${JSON.stringify(m.value)}`;
}

/** `{a="b", …}` for a list of matchers. */
export function selectorText(matchers: readonly AmMatcher[]): string {
  return `{${matchers.map(matcherText).join(', ')}}`;
}
