import type { Node } from 'yaml';
import { bool, custom, type Field } from '../schema.js';
import type { YamlValue } from '../yaml-emit.js';

/** `send_resolved` (upstream's inline `NotifierConfig`), with the integration's default. */
export const sendResolved = (initial: boolean) => bool('send_resolved', { initial });

/** `{{ template "name" . }}`, the form upstream's default texts take. */
export const tmpl = (name: string) => `{{ template "${name}" . }}`;

/** `%v` of a Go struct of strings, as upstream's error messages print one: `{a b c}`. */
export const goStruct = (...values: string[]) => `{${values.join(' ')}}`;

/** A `map[string]any` (Jira `fields`): any YAML, kept as plain data and written back with sorted keys. */
export function anyMap(key: string): Field<Record<string, unknown>> {
  return custom(
    key,
    () => ({}),
    (r, n) => {
      if (r.isNull(n)) return {};
      const v = (n as Node).toJSON() as unknown;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw r.error(n, `${key} must be a mapping`);
      return v as Record<string, unknown>;
    },
    (v) => (Object.keys(v).length === 0 ? undefined : toYaml(v)),
  );
}

function toYaml(v: unknown): YamlValue {
  if (Array.isArray(v)) return { seq: v.map(toYaml) };
  if (typeof v === 'object' && v !== null) return { map: Object.keys(v).sort().map((k) => [k, toYaml((v as Record<string, unknown>)[k])] as const) };
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return null;
}
