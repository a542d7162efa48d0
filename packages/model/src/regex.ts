import { RE2JS } from 're2js';
import { ModelError } from './errors.js';

/**
 * Raised when a user-supplied regular expression does not compile under RE2 syntax: a
 * {@link ModelError} with code `invalid_regex`. `detail` is RE2's own message, which has the same
 * wording as Go's (`error parsing regexp: missing closing ): …`).
 */
export class RegexSyntaxError extends ModelError {
  override name = 'RegexSyntaxError';
  constructor(readonly pattern: string, readonly detail: string, options?: { cause?: unknown }) {
    super('invalid_regex', `invalid regular expression ${JSON.stringify(pattern)}: ${detail}`, options);
  }
}

/** The labelmap shape `literal(.*)` / `literal(.+)`. */
const PREFIX_CAPTURE = /^([^\\.+*?()|[\]{}^$]*)\(\.([*+])\)$/;

/**
 * A fully anchored RE2 regular expression as Prometheus compiles them for matchers and relabeling:
 * `^(?s:pattern)$`, so `.` also matches a newline (Prometheus 3). Matching runs in time linear in
 * the input (re2js is an RE2 automaton, never backtracking), with fast paths for the shapes that
 * dominate real queries: literals, `a|b|c` alternations of literals, `.*`, `.+`, `foo.*`, `.*foo`
 * and `.*foo.*`; `exec` has one for the usual labelmap shape `foo(.*)` / `foo(.+)`.
 */
export class AnchoredRegex {
  private readonly fastMatch: ((s: string) => boolean) | undefined;
  private compiled: RE2JS | undefined;
  private named: Map<string, number> | undefined;
  /** `literal(.*)` / `literal(.+)`, the usual labelmap shape, is matched without the automaton. */
  private readonly prefixCapture: { prefix: string; nonEmpty: boolean } | undefined;

  /** Throws {@link RegexSyntaxError} when `source` is not valid RE2 syntax. */
  constructor(readonly source: string) {
    const capture = PREFIX_CAPTURE.exec(source);
    const prefixCapture = capture ? { prefix: capture[1]!, nonEmpty: capture[2] === '+' } : undefined;
    this.prefixCapture = prefixCapture;
    this.fastMatch =
      fastMatcher(source) ?? (prefixCapture && ((s: string) => s.startsWith(prefixCapture.prefix) && (!prefixCapture.nonEmpty || s.length > prefixCapture.prefix.length)));
    // A fast-path shape is valid RE2 by construction (literals, escaped metacharacters and `.*`),
    // so only the other patterns are compiled here; a 100k-value alternation costs a Set, not seconds.
    if (this.fastMatch === undefined) this.compiled = compileAnchored(source);
  }

  /**
   * Whether constructing an AnchoredRegex of `source` compiles an automaton: false for the shapes
   * answered with string operations (literals, `a|b|c`, `.*`, `foo.*`, …), which cost almost
   * nothing however long they are.
   */
  static needsCompiling(source: string): boolean {
    return fastMatcher(source) === undefined && !PREFIX_CAPTURE.test(source);
  }

  /** True when the whole of `s` matches. */
  matches(s: string): boolean {
    if (this.fastMatch !== undefined) return this.fastMatch(s);
    this.compiled ??= compileAnchored(this.source);
    return this.compiled.testExact(s);
  }

  /**
   * Matches `s` and returns the capture groups (index 0 = whole match, unmatched groups `undefined`)
   * plus named groups, or `undefined` when there is no match.
   */
  exec(s: string): { groups: (string | undefined)[]; named: Map<string, number> } | undefined {
    if (this.prefixCapture !== undefined) {
      const { prefix, nonEmpty } = this.prefixCapture;
      if (!s.startsWith(prefix) || (nonEmpty && s.length === prefix.length)) return undefined;
      this.named ??= new Map();
      return { groups: [s, s.slice(prefix.length)], named: this.named };
    }
    this.compiled ??= compileAnchored(this.source);
    const m = this.compiled.matcher(s);
    if (!m.matches()) return undefined;
    const groups: (string | undefined)[] = [];
    for (let i = 0; i <= m.groupCount(); i++) {
      const g = m.group(i);
      groups.push(g === null ? undefined : g);
    }
    this.named ??= namedGroups(this.compiled);
    return { groups, named: this.named };
  }

  /** The literal values this regex can match when it is a plain alternation of literals (e.g. `a|b`), else undefined. */
  literalAlternatives(): string[] | undefined {
    return literalAlternatives(this.source);
  }
}

// Compiling with re2js costs ~0.2 ms, and dashboards send the same patterns every refresh, so
// compiled programs are kept per source (bounded; cleared when full). RE2JS programs hold no
// per-match state, so sharing them is safe. Syntax errors are not cached.
const COMPILED = new Map<string, RE2JS>();
const MAX_COMPILED = 2048;

function compileAnchored(source: string): RE2JS {
  const cached = COMPILED.get(source);
  if (cached !== undefined) return cached;
  const compiled = compileUncached(source);
  if (COMPILED.size >= MAX_COMPILED) COMPILED.clear();
  COMPILED.set(source, compiled);
  return compiled;
}

function compileUncached(source: string): RE2JS {
  try {
    return RE2JS.compile(`^(?s:${source})$`);
  } catch (err) {
    throw new RegexSyntaxError(source, err instanceof Error ? err.message : String(err), { cause: err });
  }
}

function namedGroups(re: RE2JS): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, index] of Object.entries(re.namedGroups())) out.set(name, index);
  return out;
}

const META_CHARS = '\\.+*?()|[]{}^$';
const META_ALL = /[\\.+*?()|[\]{}^$]/g;
const META = /[\\.+*?()|[\]{}^$]/;

/** `s` with every regex metacharacter escaped (Go's `regexp.QuoteMeta`): a pattern matching exactly `s`. */
export function quoteMeta(s: string): string {
  return s.replace(META_ALL, '\\$&');
}

/**
 * Splits `a|b|c` into its literals when every alternative is plain text, metacharacters escaped
 * with a backslash allowed (`a\.b|c`, what {@link quoteMeta} writes); else undefined.
 */
function literalAlternatives(source: string): string[] | undefined {
  if (!source.includes('\\')) return META.test(source.replaceAll('|', '')) ? undefined : source.split('|');
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '|') {
      parts.push(current);
      current = '';
    } else if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined || !META_CHARS.includes(next)) return undefined;
      current += next;
      i++;
    } else if (META_CHARS.includes(c)) return undefined;
    else current += c;
  }
  parts.push(current);
  return parts;
}

function fastMatcher(source: string): ((s: string) => boolean) | undefined {
  if (source === '.*') return () => true;
  if (source === '.+') return (s) => s.length > 0;
  const literals = literalAlternatives(source);
  if (literals !== undefined) {
    if (literals.length === 1) {
      const only = literals[0]!;
      return (s) => s === only;
    }
    const set = new Set(literals);
    return (s) => set.has(s);
  }
  const prefix = /^([^\\.+*?()|[\]{}^$]+)\.\*$/.exec(source);
  if (prefix) {
    const p = prefix[1]!;
    return (s) => s.startsWith(p);
  }
  const suffix = /^\.\*([^\\.+*?()|[\]{}^$]+)$/.exec(source);
  if (suffix) {
    const p = suffix[1]!;
    return (s) => s.endsWith(p);
  }
  const contains = /^\.\*([^\\.+*?()|[\]{}^$]+)\.\*$/.exec(source);
  if (contains) {
    const p = contains[1]!;
    return (s) => s.includes(p);
  }
  return undefined;
}
