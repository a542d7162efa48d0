import { AlertmanagerError } from '../errors.js';
import type { Matcher } from '../labels/matcher.js';
import type { MatcherParser } from '../labels/parse.js';
import { compileAnchored } from '../labels/regex.js';
import type { RE2JS } from 're2js';

/** A request's query parameters as Go's `url.ParseQuery` reads them: every value of each name, in order. */
export type Query = ReadonlyMap<string, readonly string[]>;

/** go-openapi binds the last value of a parameter given more than once. */
const last = (query: Query, name: string): string | undefined => query.get(name)?.at(-1);

// go-openapi's `swag.ConvertBool`: these are true, anything else is false.
const TRUE = new Set(['true', '1', 'yes', 'ok', 'y', 'on', 'selected', 'checked', 't', 'enabled']);

/** A boolean query parameter with upstream's default of true when absent. */
export function boolParam(query: Query, name: string): boolean {
  const v = last(query, name);
  return v === undefined ? true : TRUE.has(v.toLowerCase());
}

/** The `filter` parameters, one matcher each; throws `invalid_matcher` with the parser's message. */
export function filterParam(query: Query, parser: MatcherParser): Matcher[] {
  return (query.get('filter') ?? []).map((f) => parser.matcher(f, 'api'));
}

/** The `receiver` parameter as an anchored regex, or undefined when absent. */
export function receiverParam(query: Query): RE2JS | undefined {
  const v = last(query, 'receiver');
  if (v === undefined) return undefined;
  try {
    return compileAnchored(v);
  } catch (err) {
    throw new AlertmanagerError('invalid_matcher', `failed to parse receiver param: ${(err as Error).message}`);
  }
}

/**
 * Upstream's API filter semantics (`matchFilterLabels`): an empty value on `!=`/`!~` accepts
 * alerts having the label, and on `=`/`=~` alerts lacking it; otherwise the matcher decides.
 */
export function matchesFilter(matchers: readonly Matcher[], labels: { has(n: string): boolean; get(n: string): string }): boolean {
  for (const m of matchers) {
    const present = labels.has(m.name);
    const negative = m.type === '!=' || m.type === '!~';
    if (m.value === '' && (negative ? present : !present)) continue;
    if (!m.matches(labels.get(m.name))) return false;
  }
  return true;
}
