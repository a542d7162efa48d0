import { createHash } from 'node:crypto';
import { marshalJSON, urlQueryEscape } from '@pyrometer/template';

/** A JSON object whose keys keep the given order, as a Go struct's fields do. */
class JsonStruct {
  constructor(private readonly fields: Record<string, unknown>) {}

  toJSON(): Record<string, unknown> {
    return this.fields;
  }
}

/**
 * A Go struct for {@link encodeJson}: keys in the given order, `undefined` fields left out (the
 * caller decides what `omitempty` drops). Plain objects stay maps (keys sorted, as Go's maps).
 */
export function struct(fields: Record<string, unknown>): JsonStruct {
  return new JsonStruct(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
}

/** A body as Go's `json.NewEncoder(w).Encode(v)` writes it: HTML-safe escapes, sorted map keys, a trailing newline. */
export function encodeJson(v: unknown): string {
  return `${marshalJSON(v)}\n`;
}

/** `notify.Key.Hash()`: the SHA-256 of the group key in hex, used as PagerDuty's dedup key and Opsgenie's alias. */
export function groupKeyHash(groupKey: string): string {
  return createHash('sha256').update(groupKey).digest('hex');
}

/** `s` unless empty: for fields Go encodes with `omitempty`. */
export const omitEmpty = (s: string): string | undefined => (s === '' ? undefined : s);

/** Go's `url.Values.Encode` (one value per key): keys sorted, keys and values query-escaped. */
export function encodeQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .sort()
    .map((k) => `${urlQueryEscape(k)}=${urlQueryEscape(params[k]!)}`)
    .join('&');
}
