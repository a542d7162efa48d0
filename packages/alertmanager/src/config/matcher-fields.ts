import { AlertmanagerError } from '../errors.js';
import { isLegacyLabelName } from '@pyrometer/model';
import { compareMatchers, type Matcher } from '../labels/matcher.js';
import type { MatcherParser } from '../labels/parse.js';
import { compileAnchored } from '../labels/regex.js';
import { custom, type Field } from './schema.js';

/** A `matchers:` list of matcher strings, parsed by the configured parser and sorted as upstream does. */
export function matchersField(key: string, parser: MatcherParser): Field<Matcher[]> {
  return custom(
    key,
    () => [],
    (r, n) => {
      const out: Matcher[] = [];
      r.list(n, key, (item) => {
        try {
          out.push(...parser.matchers(r.string(item, key), 'config'));
        } catch (err) {
          if (err instanceof AlertmanagerError) throw r.error(item, err.message);
          throw err;
        }
      });
      return out.sort(compareMatchers);
    },
    (v) => (v.length === 0 ? undefined : { seq: v.map((m) => m.toString()) }),
  );
}

/** The deprecated `match:` map of label name → value (legacy label names only). */
export function matchField(key: string): Field<Record<string, string>> {
  return custom(
    key,
    () => ({}),
    (r, n) => {
      const out: Record<string, string> = {};
      for (const [name, value] of r.entries(n, key, (v, k, keyNode) => ({ v: r.string(v, k), keyNode }))) {
        if (!isLegacyLabelName(name)) throw r.error(value.keyNode, `invalid label name ${JSON.stringify(name)}`);
        out[name] = value.v;
      }
      return out;
    },
    (v) => emitSorted(v),
  );
}

/** The deprecated `match_re:` map of label name → regular expression (anchored, RE2). */
export function matchReField(key: string): Field<Record<string, string>> {
  return custom(
    key,
    () => ({}),
    (r, n) => {
      const out: Record<string, string> = {};
      for (const [name, entry] of r.entries(n, key, (v, k, keyNode) => ({ node: v, keyNode, k }))) {
        if (!isLegacyLabelName(name)) throw r.error(entry.keyNode, `invalid label name ${JSON.stringify(name)}`);
        if (r.isNull(entry.node)) throw r.error(entry.keyNode, `invalid regexp value for ${JSON.stringify(name)}`);
        const source = r.string(entry.node, name);
        try {
          compileAnchored(source);
        } catch (err) {
          throw r.error(entry.node, (err as Error).message);
        }
        out[name] = source;
      }
      return out;
    },
    (v) => emitSorted(v),
  );
}

function emitSorted(v: Record<string, string>) {
  const keys = Object.keys(v).sort();
  return keys.length === 0 ? undefined : { map: keys.map((k) => [k, v[k]!] as const) };
}
