import type { YamlReader, YNode } from '@pyrometer/config';
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

/**
 * Upstream's check of a value and its `*_file` twin: `at most one of a & b must be configured`,
 * and, when `missing` is given, that message when neither is set.
 */
export function exclusive(r: YamlReader, node: YNode, a: [name: string, set: boolean], b: [name: string, set: boolean], missing?: string): void {
  if (missing !== undefined && !a[1] && !b[1]) throw r.error(node, missing);
  if (a[1] && b[1]) throw r.error(node, `at most one of ${a[0]} & ${b[0]} must be configured`);
}
