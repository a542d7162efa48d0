/**
 * The result of matching a relabel regex: capture groups by index (0 = the whole match,
 * `undefined` for a group that did not participate) and the index of each named group.
 */
export interface RegexMatch {
  readonly groups: readonly (string | undefined)[];
  readonly named: ReadonlyMap<string, number>;
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/**
 * Expands a replacement template as Go's `regexp.Expand` does, which is what relabeling uses:
 * `$1` and `${1}` insert a group by number, `$name` and `${name}` by name, `$$` is a literal `$`.
 * A name is the longest run of letters, digits and `_`, so `$1x` means the group named `1x`
 * (usually absent, hence empty) — write `${1}x` for group 1 followed by `x`. Unknown, unmatched
 * or out-of-range groups expand to nothing; a `$` not followed by a valid reference stays literal.
 */
export function expandTemplate(template: string, match: RegexMatch): string {
  let out = '';
  let i = 0;
  for (;;) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) return out + template.slice(i);
    out += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    const ref = readReference(template, i);
    if (ref === undefined) {
      out += '$';
      continue;
    }
    i = ref.end;
    const index = groupNumber(ref.name) ?? match.named.get(ref.name);
    if (index !== undefined) out += match.groups[index] ?? '';
  }
}

/** True when a template refers to capture groups, i.e. contains a `$` (upstream's test). */
export function hasTemplateVariable(template: string): boolean {
  return template.includes('$');
}

function readReference(s: string, start: number): { name: string; end: number } | undefined {
  const brace = s[start] === '{';
  let i = brace ? start + 1 : start;
  const nameStart = i;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) {
      i++;
      continue;
    }
    if (c < 0x80) break;
    const ch = String.fromCodePoint(s.codePointAt(i)!);
    if (!NAME_CHAR.test(ch)) break;
    i += ch.length;
  }
  if (i === nameStart) return undefined;
  const name = s.slice(nameStart, i);
  if (brace) {
    if (s[i] !== '}') return undefined;
    i++;
  }
  return { name, end: i };
}

/** Go's rule: a name of at most 9 decimal digits without a leading zero is a group number. */
function groupNumber(name: string): number | undefined {
  if (name.length > 9 || (name.length > 1 && name.charCodeAt(0) === 48)) return undefined;
  let n = 0;
  for (let i = 0; i < name.length; i++) {
    const d = name.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return n;
}
