import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { ConfigError, type ConfigErrorCode } from '../errors.js';

/** A YAML value node, or null for an absent/empty value. */
export type YNode = Node | null;

/** Handlers for the fields of one section, by YAML key. */
export type FieldHandlers = Record<string, (node: YNode, key: Node) => void>;

/** How strictly a {@link YamlReader} reads. */
export interface YamlReaderOptions {
  /** Skip fields that have no handler instead of failing (promtool's `--ignore-unknown-fields`). */
  ignoreUnknownFields?: boolean;
}

/**
 * Walks a parsed YAML document with positions: every error it raises is a {@link ConfigError}
 * naming the file, line and column of the offending node. Only the constructs Prometheus's own
 * files need are supported (prometheus.yml, rule files). Aliases and `<<` merge keys resolve.
 */
export class YamlReader {
  private readonly lines = new LineCounter();
  private readonly doc: Document;
  readonly root: YNode;

  constructor(readonly file: string, text: string, private readonly options: YamlReaderOptions = {}) {
    const doc = (this.doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: false, prettyErrors: false, merge: true }));
    const first = doc.errors[0];
    if (first) {
      const at = this.lines.linePos(first.pos[0]);
      throw new ConfigError('yaml', first.message.split('\n')[0] ?? first.message, { file, line: at.line, col: at.col });
    }
    this.root = (doc.contents as Node | null) ?? null;
  }

  /** The 1-based line and column where `node` starts, or undefined when it has no position. */
  positionOf(node: Node | null | undefined): { line: number; col: number } | undefined {
    const start = node?.range?.[0];
    return start === undefined ? undefined : this.lines.linePos(start);
  }

  /** A ConfigError at `node` (or at the file when the node is absent). */
  error(node: Node | null | undefined, problem: string, code: ConfigErrorCode = 'invalid'): ConfigError {
    const at = this.positionOf(node);
    if (at === undefined) return new ConfigError(code, problem, { file: this.file });
    return new ConfigError(code, problem, { file: this.file, line: at.line, col: at.col });
  }

  /** True for a missing value, an empty value and `null`. */
  isNull(node: YNode): node is null {
    const n = this.deref(node);
    return n === null || (isScalar(n) && n.value === null);
  }

  /**
   * Reads a mapping section. Each key must have a handler (else `field X not found in type T`),
   * and may appear once (else `field X already set in type T`), as upstream's strict decoder says.
   * A null section reads as empty.
   */
  struct(node: YNode, typeName: string, handlers: FieldHandlers): void {
    const n = this.deref(node);
    if (this.isNull(n)) return;
    const map = this.expectMap(n, typeName);
    const seen = new Set<string>();
    for (const pair of this.pairsOf(map)) {
      const key = this.keyString(pair.key);
      if (seen.has(key)) throw this.error(pair.key, `field ${key} already set in type ${typeName}`, 'duplicate_key');
      seen.add(key);
      const handler = Object.hasOwn(handlers, key) ? handlers[key] : undefined;
      if (!handler && this.options.ignoreUnknownFields) continue;
      if (!handler) throw this.error(pair.key, `field ${key} not found in type ${typeName}`, 'unknown_field');
      handler(this.deref(pair.value ?? null), pair.key);
    }
  }

  /** Reads a mapping of arbitrary keys; `key` and `value` read each entry. Duplicate keys are errors. */
  entries<T>(node: YNode, what: string, value: (node: YNode, key: string, keyNode: Node) => T, keyWhat = 'key'): Map<string, T> {
    const out = new Map<string, T>();
    const n = this.deref(node);
    if (this.isNull(n)) return out;
    const map = this.expectMap(n, what);
    const firstAt = new Map<string, Node>();
    for (const pair of this.pairsOf(map)) {
      const key = this.string(pair.key, keyWhat);
      const prev = firstAt.get(key);
      if (prev) {
        const line = prev.range ? this.lines.linePos(prev.range[0]).line : 0;
        throw this.error(pair.key, `mapping key ${JSON.stringify(key)} already defined at line ${line}`, 'duplicate_key');
      }
      firstAt.set(key, pair.key);
      out.set(key, value(this.deref(pair.value ?? null), key, pair.key));
    }
    return out;
  }

  /** Reads a sequence; a null value reads as empty. */
  list<T>(node: YNode, what: string, item: (node: YNode, index: number) => T): T[] {
    const n = this.deref(node);
    if (this.isNull(n)) return [];
    if (!isSeq(n)) throw this.error(n, `${what} must be a list`);
    return (n as YAMLSeq<YNode>).items.map((it, i) => item(this.deref(it ?? null), i));
  }

  /**
   * Reads a scalar as a string: plain scalars keep their source text (so `1234` is "1234", as Go
   * decodes an int into a string field); `!!binary` values are base64-decoded and must be UTF-8.
   * `what` names the value in errors (e.g. "label name").
   */
  string(node: YNode, what = 'value'): string {
    const n = this.deref(node);
    if (n === null) return '';
    if (!isScalar(n)) throw this.error(n, `${what} must be a string`);
    const s = n as Scalar;
    if (s.tag === 'tag:yaml.org,2002:binary') return this.binary(s, what);
    if (s.value === null) return '';
    if (s.type === 'PLAIN') return String(s.source ?? s.value);
    return String(s.value);
  }

  /** Reads a boolean (`true`/`false`). */
  bool(node: YNode, what: string): boolean {
    const n = this.deref(node);
    if (isScalar(n) && typeof n.value === 'boolean') return n.value;
    throw this.error(n, `${what} must be true or false, got ${this.describe(n)}`);
  }

  /** Reads a non-negative integer. */
  uint(node: YNode, what: string): number {
    const n = this.deref(node);
    if (isScalar(n) && typeof n.value === 'number' && Number.isSafeInteger(n.value) && n.value >= 0) return n.value;
    throw this.error(n, `${what} must be a non-negative integer, got ${this.describe(n)}`);
  }

  /** Reads a list of strings. */
  strings(node: YNode, what: string): string[] {
    return this.list(node, what, (it) => this.string(it, what));
  }

  private binary(s: Scalar, what: string): string {
    const src = String(s.source ?? '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(src) || src.length % 4 !== 0) throw this.error(s, '!!binary value contains invalid base64 data');
    const bytes = Buffer.from(src, 'base64');
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw this.error(s, `${quoteBytes(bytes)} is not a valid ${what}`);
    }
  }

  /**
   * The pairs of a mapping with `<<` merge keys expanded (YAML 1.1 merge, as yaml.v3 does): keys
   * written in the mapping itself win, then the merged mappings in the order given.
   */
  private pairsOf(map: YAMLMap): Pair<Node, YNode>[] {
    const own: Pair<Node, YNode>[] = [];
    const merged: Pair<Node, YNode>[] = [];
    for (const pair of map.items as Pair<Node, YNode>[]) {
      if (!isMergeKey(pair.key)) {
        own.push(pair);
        continue;
      }
      const value = this.deref(pair.value ?? null);
      for (const source of isSeq(value) ? (value as YAMLSeq<YNode>).items.map((it) => this.deref(it ?? null)) : [value]) {
        if (!isMap(source)) throw this.error(pair.key, 'map merge requires map or sequence of maps as the value');
        merged.push(...this.pairsOf(source as YAMLMap));
      }
    }
    if (merged.length === 0) return own;
    const keys = new Set(own.map((p) => this.keyString(p.key)));
    for (const pair of merged) {
      const key = this.keyString(pair.key);
      if (keys.has(key)) continue;
      keys.add(key);
      own.push(pair);
    }
    return own;
  }

  private keyString(key: Node): string {
    const k = this.deref(key);
    if (isScalar(k) && (typeof k.value === 'string' || typeof k.value === 'number' || typeof k.value === 'boolean')) return String(k.value);
    throw this.error(k, 'field names must be strings');
  }

  private expectMap(n: YNode, what: string): YAMLMap {
    if (!isMap(n)) throw this.error(n, `${what} must be a mapping, got ${this.describe(n)}`);
    return n as YAMLMap;
  }

  private deref(node: YNode | undefined): YNode {
    if (node === undefined || node === null) return null;
    if (isAlias(node)) return (node.resolve(this.doc) as Node | undefined) ?? null;
    return node;
  }

  private describe(n: YNode): string {
    if (n === null) return 'nothing';
    if (isScalar(n)) return JSON.stringify(n.source ?? n.value);
    if (isSeq(n)) return 'a list';
    if (isMap(n)) return 'a mapping';
    return 'an unsupported node';
  }
}

/** A `<<` key, which the yaml package marks with a symbol value when `merge` is on. */
function isMergeKey(key: Node): boolean {
  return isScalar(key) && typeof key.value === 'symbol';
}

/** Go's %q of a byte string that is not valid UTF-8: printable ASCII as is, other bytes as \xNN. */
function quoteBytes(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) out += '\\' + String.fromCharCode(b);
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += '\\x' + b.toString(16).padStart(2, '0');
  }
  return out + '"';
}
