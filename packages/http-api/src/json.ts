import { formatApiValue, type Labels } from '@pyrometer/model';

/**
 * A JSON string literal as Go's encoding/json writes it (Prometheus uses jsoniter's standard-library
 * mode): HTML-sensitive `<`, `>`, `&` and the line separators U+2028/U+2029 are `\u` escaped.
 */
export function jsonString(s: string): string {
  const plain = JSON.stringify(s);
  return /[<>&\u2028\u2029]/.test(s) ? plain.replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) : plain;
}

/** A label set as a JSON object with keys in sorted order: `{"__name__":"up","job":"x"}`. */
export function labelsJson(labels: Labels): string {
  let out = '{';
  for (let i = 0; i < labels.size; i++) {
    if (i > 0) out += ',';
    out += jsonString(labels.nameAt(i)) + ':' + jsonString(labels.valueAt(i));
  }
  return out + '}';
}

/**
 * A sample timestamp (ms) as upstream's `MarshalTimestamp` writes it: seconds, then `.` and a
 * zero-padded three-digit fraction only when the fraction is not zero (`1.500`, `2`, `-0.001`).
 */
export function timestampJson(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  const fraction = abs % 1000;
  const seconds = (abs - fraction) / 1000;
  return fraction === 0 ? `${sign}${seconds}` : `${sign}${seconds}.${String(fraction).padStart(3, '0')}`;
}

/** `[<ts>,"<value>"]`: one float sample pair of a vector or matrix. */
export function samplePairJson(ms: number, value: number): string {
  return `[${timestampJson(ms)},"${formatApiValue(value)}"]`;
}

/**
 * A time as Go's `json.Marshal(float64(ms)/1000)` writes it, which scalar and string results use
 * (`1.5`, not `1.500`). JavaScript's number printing agrees with Go's here, exponent form included.
 */
export function secondsFloatJson(ms: number): string {
  return String(ms / 1000);
}

/**
 * A time (ms since the epoch) as Go's encoding/json writes a UTC `time.Time`: RFC 3339 with the
 * fraction's trailing zeros dropped (`2024-05-01T10:00:00.5Z`, `…:00Z`), and Go's zero time
 * `0001-01-01T00:00:00Z` for undefined (a time never set).
 */
export function timeJson(ms: number | undefined): string {
  if (ms === undefined) return '"0001-01-01T00:00:00Z"';
  return `"${new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z')}"`;
}
