import { formatGoFloat } from '@pyrometer/model';
import { functionError } from '../errors.js';
import { GoMap, isPlainObject, sortedMapEntries, structFields, TypedString } from '../values.js';

/**
 * Go's `json.Marshal` over template values: HTML-safe string escaping (`<` as `\u003c`), floats as
 * encoding/json writes them (`1e-07` as `1e-7`, NaN and Inf refused), map keys sorted, `toJSON()`
 * honoured (label sets, times, Alertmanager's data types), structs by their exported fields.
 */
export function marshalJSON(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return jsonString(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return String(v);
    case 'number':
      return jsonFloat(v);
    case 'function':
      throw functionError('json: unsupported type: func');
  }
  if (v instanceof TypedString) return jsonString(v.value);
  if (Array.isArray(v)) return `[${v.map(marshalJSON).join(',')}]`;
  if (v instanceof GoMap || v instanceof Map || isPlainObject(v)) return marshalObject(sortedMapEntries(v));
  const custom = (v as { toJSON?: () => unknown }).toJSON;
  if (typeof custom === 'function') {
    const replaced = custom.call(v);
    return isPlainObject(replaced) ? marshalObject(Object.entries(replaced)) : marshalJSON(replaced);
  }
  return marshalObject(structFields(v as object));
}

function marshalObject(entries: readonly (readonly [unknown, unknown])[]): string {
  return `{${entries.map(([k, value]) => `${jsonString(String(k))}:${marshalJSON(value)}`).join(',')}}`;
}

function jsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw functionError(`json: unsupported value: ${formatGoFloat(f, 'g')}`);
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) return formatGoFloat(f, 'e').replace(/e-0(\d)$/, 'e-$1');
  return formatGoFloat(f, 'f');
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** Characters Go escapes in a JSON string (or, for lone surrogates, replaces). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be found
const NEEDS_ESCAPE = /["\\\u0000-\u001f<>&\u2028\u2029\ud800-\udfff]/;

export function jsonString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const escaped = ESCAPES[ch];
    if (escaped !== undefined) out += escaped;
    else if (cp < 0x20) out += '\\u00' + cp.toString(16).padStart(2, '0');
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\ufffd';
    else out += ch;
  }
  return out + '"';
}
