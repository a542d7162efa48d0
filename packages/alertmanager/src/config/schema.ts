import type { FieldHandlers, YamlReader, YNode } from '@pyrometer/config';
import { formatDuration, parseDuration } from '@pyrometer/model';
import { isScalar, type Node } from 'yaml';
import { formatGoDuration, parseGoDuration } from '../time/go-duration.js';
import type { YamlValue } from './yaml-emit.js';

/**
 * One field of a config struct: its YAML key, its value when absent (upstream's default), how it
 * is read (with upstream's checks) and how `yaml.Marshal` writes it back for `config.original`
 * (undefined = omitted, as `omitempty` does). Reading and writing come from the same definition,
 * so a field can never be read but forgotten in the status output.
 */
export interface Field<T> {
  readonly key: string;
  initial(): T;
  read(r: YamlReader, node: YNode): T;
  emit(value: T): YamlValue | undefined;
  /**
   * Added after Alertmanager 0.25: written only when it differs from its default, so that the
   * amtool releases distributions still ship (0.25) can parse `config.original` (see README).
   */
  readonly newer?: boolean;
}

/** A config struct: the type name upstream's errors use and its fields in upstream's order. */
export interface Schema<T> {
  readonly typeName: string;
  readonly fields: { readonly [K in keyof T]: Field<T[K]> };
  /** Checks run after the struct is read (upstream's `UnmarshalYAML`); throw `r.error(node, …)`. */
  readonly check?: (value: T, r: YamlReader, node: YNode) => void;
}

type FieldValues<F> = { -readonly [K in keyof F]: F[K] extends Field<infer T> ? T : never };

/** Defines a struct schema; the value type is inferred from the fields. */
export function schema<F extends Record<string, Field<unknown>>>(typeName: string, fields: F, check?: (value: FieldValues<F>, r: YamlReader, node: YNode) => void): Schema<FieldValues<F>> {
  return { typeName, fields: fields as unknown as Schema<FieldValues<F>>['fields'], ...(check ? { check } : {}) };
}

/** A struct with every field at its default. */
export function initialStruct<T>(s: Schema<T>): T {
  const out = {} as T;
  for (const prop of Object.keys(s.fields) as (keyof T)[]) out[prop] = s.fields[prop].initial();
  return out;
}

/** Reads a struct: unknown and repeated keys are errors (upstream's strict decoding), then `check` runs. */
export function readStruct<T>(r: YamlReader, node: YNode, s: Schema<T>, extra: FieldHandlers = {}): T {
  const out = initialStruct(s);
  const handlers: FieldHandlers = { ...extra };
  for (const prop of Object.keys(s.fields) as (keyof T)[]) {
    const f = s.fields[prop];
    handlers[f.key] = (n) => (out[prop] = f.read(r, n));
  }
  r.struct(node, s.typeName, handlers);
  s.check?.(out, r, node);
  return out;
}

/** Writes a struct as `yaml.Marshal` would. */
export function emitStruct<T>(s: Schema<T>, value: T): YamlValue {
  const entries: [string, YamlValue][] = [];
  for (const prop of Object.keys(s.fields) as (keyof T)[]) {
    const f = s.fields[prop];
    const out = f.emit(value[prop]);
    if (out === undefined) continue;
    if (f.newer && JSON.stringify(out) === JSON.stringify(f.emit(f.initial()))) continue;
    entries.push([f.key, out]);
  }
  return { map: entries };
}

interface Opts {
  /** Upstream's `omitempty`: the zero value is not written. */
  omitEmpty?: boolean;
  newer?: boolean;
}

const flags = (o: Opts) => (o.newer ? { newer: true } : {});

export function str(key: string, o: Opts & { initial?: string } = {}): Field<string> {
  return { key, ...flags(o), initial: () => o.initial ?? '', read: (r, n) => r.string(n, key), emit: (v) => (v === '' && o.omitEmpty ? undefined : v) };
}

/** A `Secret`: written as `<secret>`. */
export function secret(key: string, o: Opts = {}): Field<string> {
  return { key, ...flags(o), initial: () => '', read: (r, n) => r.string(n, key), emit: (v) => (v === '' ? (o.omitEmpty ? undefined : null) : '<secret>') };
}

/** A `*Secret`: absent is distinct from empty. */
export function optionalSecret(key: string, o: Opts = {}): Field<string | undefined> {
  return { key, ...flags(o), initial: () => undefined, read: (r, n) => r.string(n, key), emit: (v) => (v === undefined ? undefined : v === '' ? null : '<secret>') };
}

export function bool(key: string, o: Opts & { initial?: boolean } = {}): Field<boolean> {
  return { key, ...flags(o), initial: () => o.initial ?? false, read: (r, n) => (r.isNull(n) ? false : r.bool(n, key)), emit: (v) => (!v && o.omitEmpty ? undefined : v) };
}

/** A `*bool`. */
export function optionalBool(key: string): Field<boolean | undefined> {
  return { key, initial: () => undefined, read: (r, n) => r.bool(n, key), emit: (v) => v };
}

export function uint(key: string, o: Opts = {}): Field<number> {
  return { key, ...flags(o), initial: () => 0, read: (r, n) => (r.isNull(n) ? 0 : r.uint(n, key)), emit: (v) => (v === 0 && o.omitEmpty ? undefined : v) };
}

/** A signed integer (`int`, `int64`). */
export function int(key: string, o: Opts = {}): Field<number> {
  return {
    key,
    ...flags(o),
    initial: () => 0,
    read: (r, n) => {
      if (r.isNull(n)) return 0;
      const v = isScalar(n) ? n.value : undefined;
      if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
      throw r.error(n, `cannot unmarshal ${JSON.stringify(r.string(n, key))} into ${key} (an integer)`);
    },
    emit: (v) => (v === 0 && o.omitEmpty ? undefined : v),
  };
}

/** A Prometheus duration (`model.Duration`, e.g. `30s`, `1d`) in ms; undefined when absent (a pointer). */
export function modelDuration(key: string): Field<number | undefined> {
  return { key, initial: () => undefined, read: (r, n) => readModelDuration(r, n, key), emit: (v) => (v === undefined ? undefined : formatDuration(v)) };
}

/** A `model.Duration` with a default. */
export function modelDurationWithDefault(key: string, initial: number, o: Opts = {}): Field<number> {
  return { key, ...flags(o), initial: () => initial, read: (r, n) => readModelDuration(r, n, key), emit: (v) => (v === 0 && o.omitEmpty ? undefined : formatDuration(v)) };
}

function readModelDuration(r: YamlReader, n: YNode, key: string): number {
  const s = r.string(n, key);
  try {
    return parseDuration(s);
  } catch (err) {
    throw r.error(n, (err as Error).message);
  }
}

/** A Go `time.Duration` (`1.5s`, `300ms`) in ms, written back as Go prints it. */
export function goDuration(key: string, o: Opts & { initial?: number } = {}): Field<number> {
  return {
    key,
    ...flags(o),
    initial: () => o.initial ?? 0,
    read: (r, n) => {
      if (r.isNull(n)) return 0;
      const v = parseGoDuration(r.string(n, key));
      if (typeof v === 'string') throw r.error(n, v);
      return v;
    },
    emit: (v) => (v === 0 && o.omitEmpty ? undefined : formatGoDuration(v)),
  };
}

export function strList(key: string, o: Opts & { flow?: boolean } = {}): Field<string[]> {
  return { key, ...flags(o), initial: () => [], read: (r, n) => r.strings(n, key), emit: (v) => (v.length === 0 && o.omitEmpty ? undefined : { seq: v, ...(o.flow ? { flow: true } : {}) }) };
}

/** A `map[string]string`, written with sorted keys as go-yaml does. */
export function strMap(key: string, o: Opts = {}): Field<Record<string, string>> {
  return {
    key,
    ...flags(o),
    initial: () => ({}),
    read: (r, n) => Object.fromEntries(r.entries(n, key, (v) => r.string(v, key))),
    emit: (v) => {
      const keys = Object.keys(v).sort();
      return keys.length === 0 && o.omitEmpty ? undefined : { map: keys.map((k) => [k, v[k]!] as const) };
    },
  };
}

/** A nested struct held by pointer: undefined when absent. */
export function optionalStruct<T>(key: string, s: Schema<T>, o: Opts = {}): Field<T | undefined> {
  return { key, ...flags(o), initial: () => undefined, read: (r, n) => (r.isNull(n) ? undefined : readStruct(r, n, s)), emit: (v) => (v === undefined ? undefined : emitStruct(s, v)) };
}

/** A list of structs. */
export function structList<T>(key: string, s: Schema<T>, o: Opts = {}): Field<T[]> {
  return {
    key,
    ...flags(o),
    initial: () => [],
    read: (r, n) => r.list(n, key, (item) => readStruct(r, item, s)),
    emit: (v) => (v.length === 0 && o.omitEmpty ? undefined : { seq: v.map((item) => emitStruct(s, item)) }),
  };
}

/** A field read and written by hand. */
export function custom<T>(key: string, initial: () => T, read: (r: YamlReader, n: YNode) => T, emit: (v: T) => YamlValue | undefined, o: Opts = {}): Field<T> {
  return { key, ...flags(o), initial, read, emit };
}

/** The YAML node of a field's value, for errors that point at it. */
export function nodeOf(node: YNode, key: string): Node | null {
  if (node === null || !('items' in node)) return node;
  for (const pair of (node as { items: { key: unknown; value: unknown }[] }).items) {
    if (isScalar(pair.key) && pair.key.value === key) return (pair.value as Node | null) ?? (pair.key as Node);
  }
  return node;
}
