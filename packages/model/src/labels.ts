import { compareUtf8 } from './compare.js';
import { goQuote } from './go-quote.js';
import { isLegacyLabelName, isLegacyMetricName, isValidLabelName, isValidMetricName, isValidUtf8, METRIC_NAME_LABEL } from './label-names.js';

/**
 * An immutable, sorted set of label name/value pairs: the identity of a series.
 *
 * Names are unique and sorted in Go's byte order (UTF-8 / code point order, see {@link compareUtf8});
 * empty values are never stored, as in Prometheus, where an empty value means "label absent".
 * Instances are shared freely and never mutated; use {@link LabelsBuilder} to derive a new set.
 * `key()` and `hash()` are computed once, lazily, and are stable across processes.
 */
export class Labels implements Iterable<readonly [string, string]> {
  static readonly EMPTY = new Labels([]);

  #key: string | undefined;

  /** `flat` is `[name0, value0, name1, value1, …]`, sorted by name, names unique, values non-empty. */
  private constructor(private readonly flat: readonly string[]) {}

  /** Builds a label set from pairs in any order; empty values are dropped and the last duplicate wins. */
  static from(pairs: Iterable<readonly [string, string]> | Readonly<Record<string, string>>): Labels {
    const entries: [string, string][] = [];
    const source = Symbol.iterator in pairs ? (pairs as Iterable<readonly [string, string]>) : Object.entries(pairs);
    for (const [name, value] of source) entries.push([name, value]);
    entries.sort(byName);
    const flat: string[] = [];
    for (let i = 0; i < entries.length; i++) {
      const [name, value] = entries[i]!;
      const next = entries[i + 1];
      if (next !== undefined && next[0] === name) continue;
      if (value !== '') flat.push(name, value);
    }
    return flat.length === 0 ? Labels.EMPTY : new Labels(flat);
  }

  /**
   * Wraps an already sorted flat `[name, value, …]` array without copying or checking it. The caller
   * guarantees sorted unique names and non-empty values and gives up ownership of the array.
   */
  static fromSortedFlat(flat: string[]): Labels {
    return flat.length === 0 ? Labels.EMPTY : new Labels(flat);
  }

  /**
   * Replaces each name and value, in place, by the equal string `canonical` returns for it. The
   * content does not change, so the set is the same to every holder; a store uses it to keep one
   * copy of each repeated string across all its series instead of one per label set.
   */
  shareStrings(canonical: (s: string) => string): this {
    const flat = this.flat as string[];
    for (let i = 0; i < flat.length; i++) flat[i] = canonical(flat[i]!);
    return this;
  }

  /** Number of labels. */
  get size(): number {
    return this.flat.length >> 1;
  }

  /** The value of `name`, or `''` when absent (Prometheus semantics). */
  get(name: string): string {
    const flat = this.flat;
    for (let i = 0; i < flat.length; i += 2) if (flat[i] === name) return flat[i + 1]!;
    return '';
  }

  has(name: string): boolean {
    const flat = this.flat;
    for (let i = 0; i < flat.length; i += 2) if (flat[i] === name) return true;
    return false;
  }

  /** The metric name (`__name__`), or `''`. */
  get metricName(): string {
    return this.get(METRIC_NAME_LABEL);
  }

  nameAt(index: number): string {
    return this.flat[index * 2]!;
  }

  valueAt(index: number): string {
    return this.flat[index * 2 + 1]!;
  }

  /** The label names in sorted order. */
  names(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.flat.length; i += 2) out.push(this.flat[i]!);
    return out;
  }

  /** Appends `name0, value0, name1, value1, …` (sorted by name) to `out`: a label set in its flat form, as {@link fromSortedFlat} takes it. */
  appendFlat(out: string[]): void {
    const flat = this.flat;
    for (let i = 0; i < flat.length; i++) out.push(flat[i]!);
  }

  forEach(fn: (name: string, value: string) => void): void {
    const flat = this.flat;
    for (let i = 0; i < flat.length; i += 2) fn(flat[i]!, flat[i + 1]!);
  }

  *[Symbol.iterator](): Iterator<readonly [string, string]> {
    for (let i = 0; i < this.flat.length; i += 2) yield [this.flat[i]!, this.flat[i + 1]!] as const;
  }

  /** A copy of the flat `[name, value, …]` array. */
  toFlat(): string[] {
    return this.flat.slice();
  }

  /** A plain object with keys in sorted order (what Prometheus's JSON encoding emits). */
  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    for (let i = 0; i < this.flat.length; i += 2) out[this.flat[i]!] = this.flat[i + 1]!;
    return out;
  }

  /** Prometheus's `labels.String()`: `{__name__="up", job="x"}` with Go-quoted values. */
  toString(): string {
    let out = '{';
    for (let i = 0; i < this.flat.length; i += 2) {
      if (i > 0) out += ', ';
      const name = this.flat[i]!;
      out += (isLegacyLabelName(name) ? name : goQuote(name)) + '=' + goQuote(this.flat[i + 1]!);
    }
    return out + '}';
  }

  /**
   * A stable string that is equal for equal label sets and unequal otherwise; usable as a Map key.
   * Every name and value is length-prefixed, so no character inside them (not even `\xff`, which
   * is an ordinary character in JavaScript strings) can make two different sets collide.
   */
  key(): string {
    if (this.#key === undefined) {
      // Joined rather than appended with `+=`: V8 keeps an appended string as a rope of every
      // piece (~40 objects, ~1 KiB for 7 labels), and the key is kept as long as the labels
      // (a query worker's label cache holds every head series' for good).
      const parts: string[] = [];
      for (const s of this.flat) parts.push(`${s.length}:`, s);
      this.#key = parts.join('');
    }
    return this.#key;
  }

  /**
   * A stable 53-bit hash of the label set (equal sets hash equally; collisions are possible): the
   * hash of {@link key}'s characters, computed without building (and keeping) the key string, which
   * would cost a long string per series in a store that only needs the hash.
   */
  hash(): number {
    // Not cached: a 53-bit number is a 16-byte heap object in V8, on every label set a store keeps
    // (the head asks once per new series); the hash takes about as long as reading the strings.
    return this.#key === undefined ? hashFlat(this.flat) : hashString(this.#key);
  }

  equals(other: Labels): boolean {
    if (this === other) return true;
    const a = this.flat;
    const b = other.flat;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** Orders label sets as Prometheus's `labels.Compare`: pairwise by name, then value, then size. */
  static compare(a: Labels, b: Labels): number {
    const x = a.flat;
    const y = b.flat;
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i += 2) {
      if (x[i] !== y[i]) return compareUtf8(x[i]!, y[i]!);
      if (x[i + 1] !== y[i + 1]) return compareUtf8(x[i + 1]!, y[i + 1]!);
    }
    return x.length - y.length;
  }

  /** A copy without the named labels. */
  without(...names: string[]): Labels {
    const flat: string[] = [];
    for (let i = 0; i < this.flat.length; i += 2) if (!names.includes(this.flat[i]!)) flat.push(this.flat[i]!, this.flat[i + 1]!);
    return flat.length === this.flat.length ? this : Labels.fromSortedFlat(flat);
  }

  /** A copy with only the named labels. */
  keep(...names: string[]): Labels {
    const flat: string[] = [];
    for (let i = 0; i < this.flat.length; i += 2) if (names.includes(this.flat[i]!)) flat.push(this.flat[i]!, this.flat[i + 1]!);
    return flat.length === this.flat.length ? this : Labels.fromSortedFlat(flat);
  }

  /** A builder seeded with this set. */
  builder(): LabelsBuilder {
    return new LabelsBuilder(this);
  }

  /**
   * Checks names and values under Prometheus 3's UTF-8 rules (or the legacy rules when `legacy`),
   * returning a message naming the first offending label, or `undefined` when valid.
   */
  validate(options: { legacy?: boolean } = {}): string | undefined {
    for (let i = 0; i < this.flat.length; i += 2) {
      const name = this.flat[i]!;
      const value = this.flat[i + 1]!;
      if (name === METRIC_NAME_LABEL) {
        if (!(options.legacy ? isLegacyMetricName(value) : isValidMetricName(value))) return `invalid metric name ${goQuote(value)}`;
      } else if (!(options.legacy ? isLegacyLabelName(name) : isValidLabelName(name))) return `invalid label name ${goQuote(name)}`;
      if (!isValidUtf8(value)) return `invalid label value ${goQuote(value)} for label ${goQuote(name)}`;
    }
    return undefined;
  }
}

/**
 * Accumulates changes (set, delete) on top of a base label set and produces a new {@link Labels}.
 * Setting a label to `''` deletes it, as in Prometheus. A builder is single-use per `labels()` call
 * only in the sense that later changes do not affect label sets already produced.
 */
export class LabelsBuilder {
  private readonly changes = new Map<string, string>();

  constructor(private base: Labels = Labels.EMPTY) {}

  /** Starts over from a new base. */
  reset(base: Labels): this {
    this.base = base;
    this.changes.clear();
    return this;
  }

  get(name: string): string {
    const changed = this.changes.get(name);
    return changed !== undefined ? changed : this.base.get(name);
  }

  set(name: string, value: string): this {
    this.changes.set(name, value);
    return this;
  }

  delete(...names: string[]): this {
    for (const name of names) this.changes.set(name, '');
    return this;
  }

  /** Calls `fn` for every label currently present (base plus changes), in no particular order. */
  forEach(fn: (name: string, value: string) => void): void {
    this.base.forEach((name, value) => {
      if (!this.changes.has(name)) fn(name, value);
    });
    for (const [name, value] of this.changes) if (value !== '') fn(name, value);
  }

  /** Keeps only the labels whose names `keep` accepts. */
  filter(keep: (name: string) => boolean): this {
    const names: string[] = [];
    this.forEach((name) => names.push(name));
    for (const name of names) if (!keep(name)) this.changes.set(name, '');
    return this;
  }

  /**
   * The current label set. Merges the sorted changes into the sorted base without re-sorting
   * everything, and returns the base itself when the changes changed nothing.
   */
  labels(): Labels {
    if (this.changes.size === 0) return this.base;
    const changes = [...this.changes].sort(byName);
    const base = this.base;
    const n = base.size;
    const flat: string[] = [];
    let i = 0;
    let j = 0;
    while (i < n || j < changes.length) {
      const change = changes[j];
      const order = i >= n ? 1 : change === undefined ? -1 : compareUtf8(base.nameAt(i), change[0]);
      if (order < 0) {
        flat.push(base.nameAt(i), base.valueAt(i));
        i++;
        continue;
      }
      if (order === 0) i++;
      if (change![1] !== '') flat.push(change![0], change![1]);
      j++;
    }
    if (flat.length === n * 2) {
      let same = true;
      for (let k = 0; k < n && same; k++) same = flat[2 * k] === base.nameAt(k) && flat[2 * k + 1] === base.valueAt(k);
      if (same) return base;
    }
    return Labels.fromSortedFlat(flat);
  }
}

/** cyrb53: a fast, well-distributed 53-bit string hash (stable across runs and platforms). */
/**
 * Orders `[name, value]` entries by name. Module level, not an arrow at each sort: V8 keeps the
 * optimized code of a closure made per call only until the next full collection, and label sets are
 * built on every query (promql README, "Closures on a query's path").
 */
function byName(a: readonly [string, string], b: readonly [string, string]): number {
  return compareUtf8(a[0], b[0]);
}

function hashString(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  return cyrb53Finish(h1, h2);
}

const COLON = 0x3a;
const DIGIT_0 = 0x30;

/** `hashString` of the key of `flat` (each string as `<length>:<string>`), fed piece by piece. */
function hashFlat(flat: readonly string[]): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let k = 0; k < flat.length; k++) {
    const s = flat[k]!;
    const len = s.length;
    // The length's decimal digits, most significant first.
    let div = 1;
    while (div * 10 <= len) div *= 10;
    for (; div >= 1; div = Math.floor(div / 10)) {
      const ch = DIGIT_0 + (Math.floor(len / div) % 10);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ COLON, 2654435761);
    h2 = Math.imul(h2 ^ COLON, 1597334677);
    for (let i = 0; i < len; i++) {
      const ch = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
  }
  return cyrb53Finish(h1, h2);
}

function cyrb53Finish(h1: number, h2: number): number {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
