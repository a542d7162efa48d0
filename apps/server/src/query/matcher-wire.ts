import { Matcher, MatchType, quoteMeta } from '@pyrometer/model';

/**
 * A label matcher as a worker sends it to the main thread: equality as written, and every regex
 * matcher already resolved by the worker into the label values it accepts. The main thread never
 * compiles or runs a user's regex: `in` means "the value (`''` for an absent label) is one of
 * `values`", negated when `negate` is set.
 */
export type WireMatcher = { op: '=' | '!='; name: string; value: string } | { op: 'in'; name: string; values: string[]; negate: boolean };

/**
 * Builds the matchers a main-thread index understands from their wire form. A set becomes a
 * `=~`/`!~` alternation of quoted literals, which `@pyrometer/model` answers with a `Set` and
 * never compiles; an empty negated set matches everything (`=~".*"`). Returns undefined when a
 * matcher can match no series at all (an empty positive set), so the select is empty.
 */
export function fromWire(wire: readonly WireMatcher[]): Matcher[] | undefined {
  const out: Matcher[] = [];
  for (const w of wire) {
    if (w.op !== 'in') out.push(new Matcher(w.op === '=' ? MatchType.Equal : MatchType.NotEqual, w.name, w.value));
    else if (w.values.length === 0) {
      if (!w.negate) return undefined;
      out.push(new Matcher(MatchType.Regexp, w.name, '.*'));
    } else out.push(new Matcher(w.negate ? MatchType.NotRegexp : MatchType.Regexp, w.name, w.values.map(quoteMeta).join('|')));
  }
  return out;
}

const MATCH_ALL = '.*';
const MATCH_NON_EMPTY = '.+';

/**
 * The wire form of `matchers`, resolving each regex matcher against the values its label has
 * (`valuesOf`, asked once per label name): `=~re` becomes "in the values re matches", `!~re`
 * "not in the values re matches" (so a value that appears later is not wrongly excluded). `''`
 * joins a set when the regex matches the empty string. A plain `a|b|c`, `.*` and `.+` need no
 * value list.
 */
export async function toWire(matchers: readonly Matcher[], valuesOf: (name: string) => Promise<readonly string[]>): Promise<WireMatcher[]> {
  const out: WireMatcher[] = [];
  for (const m of matchers) {
    if (m.type === MatchType.Equal || m.type === MatchType.NotEqual) {
      out.push({ op: m.type, name: m.name, value: m.value });
      continue;
    }
    const negate = m.type === MatchType.NotRegexp;
    // Grafana's "All" sends `.*` (every value, and no label): the set of everything, without asking
    // for the label's values. `.+` is every value but the empty one: `!= ""`.
    if (m.value === MATCH_ALL) {
      out.push({ op: 'in', name: m.name, values: [], negate: !negate });
      continue;
    }
    if (m.value === MATCH_NON_EMPTY) {
      out.push({ op: negate ? '=' : '!=', name: m.name, value: '' });
      continue;
    }
    // For `!~`, m.matches(v) is "re does not match v": the set below is always what re itself matches.
    const reMatches = (v: string): boolean => m.matches(v) !== negate;
    const positive = new Matcher(MatchType.Regexp, m.name, m.value);
    const literals = positive.setMatches();
    let values: string[];
    if (literals !== undefined) values = [...new Set(literals)];
    else {
      values = (await valuesOf(m.name)).filter(reMatches);
      if (reMatches('')) values.push('');
    }
    out.push({ op: 'in', name: m.name, values, negate });
  }
  return out;
}
