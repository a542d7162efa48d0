import { expandTemplate } from '@pyrometer/model';
import { RE2JS } from 're2js';
import { functionError } from '../errors.js';
import { canBackquote, quoteString } from '../fmt/quote.js';

/**
 * Go's `regexp` package as template functions use it: unanchored RE2 (linear time, through re2js,
 * the engine `@pyrometer/model` uses for matchers), `MatchString`, and `ReplaceAllString` with
 * Go's `$1` / `${name}` expansion and its rule for empty matches.
 */

const CACHE = new Map<string, RE2JS>();
const MAX_CACHED = 512;

/** `regexp.Compile`; throws with Go's message (`error parsing regexp: …`). */
export function compileRegexp(pattern: string): RE2JS {
  const cached = CACHE.get(pattern);
  if (cached !== undefined) return cached;
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (err) {
    throw functionError(err instanceof Error ? err.message : String(err), err);
  }
  if (CACHE.size >= MAX_CACHED) CACHE.clear();
  CACHE.set(pattern, re);
  return re;
}

/** `regexp.MustCompile`, whose panic a template reports as `regexp: Compile(`…`): …`. */
export function mustCompileRegexp(pattern: string): RE2JS {
  try {
    return compileRegexp(pattern);
  } catch (err) {
    const quoted = canBackquote(pattern) ? '`' + pattern + '`' : quoteString(pattern, false);
    throw functionError(`regexp: Compile(${quoted}): ${err instanceof Error ? err.message : String(err)}`, err);
  }
}

/** `regexp.MatchString(pattern, s)`: whether `s` contains a match. */
export function matchString(pattern: string, s: string): boolean {
  return compileRegexp(pattern).test(s);
}

/** `re.ReplaceAllString(src, repl)`. */
export function replaceAllString(re: RE2JS, src: string, repl: string): string {
  const m = re.matcher(src);
  const named = new Map(Object.entries(re.namedGroups()));
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length && m.find(searchPos)) {
    const start = m.start();
    const end = m.end();
    out += src.slice(lastMatchEnd, start);
    // No replacement for an empty match right after the previous match.
    if (end > lastMatchEnd || start === 0) {
      const groups: (string | undefined)[] = [];
      for (let g = 0; g <= m.groupCount(); g++) groups.push(m.group(g) ?? undefined);
      out += expandTemplate(repl, { groups, named });
    }
    lastMatchEnd = end;
    const width = runeWidth(src, searchPos);
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos++;
    else searchPos = end;
  }
  return out + src.slice(lastMatchEnd);
}

function runeWidth(s: string, at: number): number {
  if (at >= s.length) return 0;
  const c = s.charCodeAt(at);
  return c >= 0xd800 && c <= 0xdbff && at + 1 < s.length ? 2 : 1;
}
