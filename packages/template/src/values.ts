import { compareUtf8 } from '@pyrometer/model';

/**
 * How JavaScript values stand for Go values inside templates (the "number model" and friends):
 *
 * | JavaScript | Go |
 * |---|---|
 * | `undefined`, `null` | nil / no value |
 * | `boolean` | `bool` |
 * | `bigint` | `int` (template literals such as `1`, `len`, range indexes) |
 * | `number` | `float64` (data values such as `$value`, literals such as `1.5`) |
 * | `string`, {@link TypedString} | `string` and named string types (`template.HTML`) |
 * | `Array` (and subclasses) | a slice |
 * | {@link GoMap}, `Map`, plain objects | a map (plain objects are `map[string]interface {}`) |
 * | other class instances | a struct: capitalised properties are fields, capitalised prototype methods are methods |
 * | `function`, {@link TemplateFunction}-like callables | a func |
 */

/** Symbol a class may define (statically) to name its Go type in messages, e.g. `template.Data`. */
export const GO_TYPE = Symbol.for('pyrometer.template.goType');
/**
 * Symbol a class may define (statically) to declare its methods' parameter types, e.g.
 * `{ Format: { params: ['string'] } }`. Methods without a declaration take `fn.length` arguments
 * of any type.
 */
export const GO_METHODS = Symbol.for('pyrometer.template.goMethods');

/** The Go kinds the engine distinguishes. */
export type Kind = 'invalid' | 'bool' | 'int' | 'float' | 'string' | 'slice' | 'map' | 'struct' | 'func';

/**
 * A value of a named Go string type: `template.HTML` from `safeHtml`, `template.URL` from
 * `safeUrl`. It behaves as a string everywhere; the HTML escaper trusts it according to its type.
 */
export class TypedString {
  constructor(
    readonly value: string,
    readonly typeName: string,
  ) {}

  toString(): string {
    return this.value;
  }
}

/**
 * A Go map with a known element type: `map[string]string` for label sets. Reading a missing key
 * yields `zero` (under `missingkey=zero`, and always through `index`), as Go yields the element
 * type's zero value. Subclasses add methods (Alertmanager's `KV.SortedPairs`), which templates
 * reach with field syntax and which take precedence over keys, as in Go.
 */
export class GoMap<V = unknown> {
  protected readonly entries: Map<string, V>;

  constructor(
    entries: Iterable<readonly [string, V]> | Readonly<Record<string, V>> = [],
    readonly zero: V | undefined = undefined,
    readonly typeName: string = 'map[string]interface {}',
  ) {
    this.entries = new Map(Symbol.iterator in entries ? (entries as Iterable<readonly [string, V]>) : Object.entries(entries as Record<string, V>));
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  /** Keys in Go's sorted order (byte order of UTF-8). */
  sortedKeys(): string[] {
    return [...this.entries.keys()].sort(compareUtf8);
  }

  /** A plain object with the keys in sorted order (Go's JSON encoding sorts map keys). */
  toJSON(): Record<string, V> {
    const out: Record<string, V> = {};
    for (const k of this.sortedKeys()) out[k] = this.entries.get(k)!;
    return out;
  }
}

/** A `map[string]string` (label sets): missing keys read as `""`. */
export class StringMap extends GoMap<string> {
  constructor(entries: Iterable<readonly [string, string]> | Readonly<Record<string, string>> = [], typeName = 'map[string]string') {
    super(entries, '', typeName);
  }
}

/** True for objects the engine treats as maps. */
export function isMapValue(v: unknown): v is GoMap | Map<unknown, unknown> | Record<string, unknown> {
  return v instanceof GoMap || v instanceof Map || isPlainObject(v);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The Go kind of a value. */
export function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case 'undefined':
      return 'invalid';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'string';
    case 'function':
      return 'func';
    case 'object':
      if (v === null) return 'invalid';
      if (v instanceof TypedString) return 'string';
      if (Array.isArray(v)) return 'slice';
      if (isMapValue(v)) return 'map';
      if (isIntLike(v)) return 'int';
      return 'struct';
    default:
      return 'invalid';
  }
}

/** Objects that are Go integers of a named type, such as `time.Duration`: they expose `goInt()`. */
export interface IntLike {
  goInt(): bigint;
}

export function isIntLike(v: unknown): v is IntLike {
  return typeof v === 'object' && v !== null && typeof (v as Partial<IntLike>).goInt === 'function';
}

/** The Go type name of a value, as error messages print it. */
export function goTypeName(v: unknown): string {
  switch (kindOf(v)) {
    case 'invalid':
      return '<nil>';
    case 'bool':
      return 'bool';
    case 'int':
      return typeof v === 'bigint' ? 'int' : namedType(v) ?? 'int';
    case 'float':
      return 'float64';
    case 'string':
      return v instanceof TypedString ? v.typeName : 'string';
    case 'slice':
      return namedType(v) ?? '[]interface {}';
    case 'map':
      return v instanceof GoMap ? v.typeName : 'map[string]interface {}';
    case 'func':
      return 'func';
    case 'struct':
      return namedType(v) ?? (v as object).constructor?.name ?? 'struct';
  }
}

function namedType(v: unknown): string | undefined {
  const ctor = (v as { constructor?: unknown } | null)?.constructor as Record<symbol, unknown> | undefined;
  const name = ctor?.[GO_TYPE];
  return typeof name === 'string' ? name : undefined;
}

/** The string inside a string-kinded value. */
export function stringValue(v: string | TypedString): string {
  return typeof v === 'string' ? v : v.value;
}

/** The number of elements of a slice, map or string (in UTF-8 bytes, as Go's `len`), else undefined. */
export function lengthOf(v: unknown): number | undefined {
  if (typeof v === 'string') return utf8ByteLength(v);
  if (v instanceof TypedString) return utf8ByteLength(v.value);
  if (Array.isArray(v)) return v.length;
  if (v instanceof GoMap || v instanceof Map) return v.size;
  if (isPlainObject(v)) return Object.keys(v).length;
  return undefined;
}

/** The number of bytes `s` takes in UTF-8 (Go's string length). */
export function utf8ByteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * Go's truth (`if`, `with`, `and`, `or`, `not`): false for nil, false, 0, "" and empty slices and
 * maps; true for structs and functions. `ok` is false for values without a truth value.
 */
export function truthOf(v: unknown): { truth: boolean; ok: boolean } {
  switch (kindOf(v)) {
    case 'invalid':
      return { truth: false, ok: true };
    case 'bool':
      return { truth: v as boolean, ok: true };
    case 'int':
      return { truth: (typeof v === 'bigint' ? v : (v as IntLike).goInt()) !== 0n, ok: true };
    case 'float':
      return { truth: v !== 0, ok: true };
    case 'string':
    case 'slice':
    case 'map':
      return { truth: lengthOf(v)! > 0, ok: true };
    case 'struct':
    case 'func':
      return { truth: true, ok: true };
  }
}

export function isTruthy(v: unknown): boolean {
  return truthOf(v).truth;
}

/** Map entries in Go's iteration order for templates and fmt: keys sorted. */
export function sortedMapEntries(m: GoMap | Map<unknown, unknown> | Record<string, unknown>): [unknown, unknown][] {
  if (m instanceof GoMap) return m.sortedKeys().map((k) => [k, m.get(k)]);
  const entries: [unknown, unknown][] = m instanceof Map ? [...m.entries()] : Object.entries(m);
  return entries.sort(([a], [b]) => compareKeys(a, b));
}

function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return compareUtf8(a, b);
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) return a < b ? -1 : a > b ? 1 : 0;
  return compareUtf8(String(a), String(b));
}

/** Looks up a key of a map value; `found` is false when the key is absent. */
export function mapLookup(m: GoMap | Map<unknown, unknown> | Record<string, unknown>, key: unknown): { found: boolean; value: unknown } {
  if (m instanceof GoMap) return typeof key === 'string' && m.has(key) ? { found: true, value: m.get(key) } : { found: false, value: m.zero };
  if (m instanceof Map) return m.has(key) ? { found: true, value: m.get(key) } : { found: false, value: undefined };
  if (typeof key === 'string' && Object.prototype.hasOwnProperty.call(m, key)) return { found: true, value: m[key] };
  return { found: false, value: undefined };
}

/** The zero value of a map's elements (`""` for label sets, nil otherwise). */
export function mapZero(m: unknown): unknown {
  return m instanceof GoMap ? m.zero : undefined;
}

/** Go's rule for exported names, which templates may reach on structs: an upper-case first letter. */
export function isExportedName(name: string): boolean {
  return /^\p{Lu}/u.test(name);
}

/** The fields of a struct-like object, in declaration order: its own exported properties. */
export function structFields(v: object): [string, unknown][] {
  return Object.entries(v).filter(([k]) => isExportedName(k));
}
