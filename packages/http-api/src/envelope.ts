import type { ErrorType } from './error-type.js';
import { jsonString } from './json.js';

/** Annotations returned beside a result, already as the strings the API shows. */
export interface Annotations {
  warnings?: readonly string[];
  infos?: readonly string[];
}

function annotationsJson({ warnings, infos }: Annotations): string {
  let out = '';
  if (warnings && warnings.length > 0) out += `,"warnings":[${warnings.map(jsonString).join(',')}]`;
  if (infos && infos.length > 0) out += `,"infos":[${infos.map(jsonString).join(',')}]`;
  return out;
}

/**
 * `{"status":"success","data":…,"warnings":[…],"infos":[…]}` with upstream's field order, empty
 * annotation lists omitted. `dataJson` is already-encoded JSON.
 */
export function successJson(dataJson: string, annotations: Annotations = {}): string {
  const { before, after } = successEnvelope(annotations);
  return before + dataJson + after;
}

/** The success envelope around its data, for writing large data in pieces between `before` and `after`. */
export function successEnvelope(annotations: Annotations = {}): { before: string; after: string } {
  return { before: '{"status":"success","data":', after: `${annotationsJson(annotations)}}` };
}

/**
 * `{"status":"error","data":…,"errorType":"…","error":"…",…}`: `data` only when given, as upstream
 * omits a nil data.
 */
export function errorJson(type: ErrorType, message: string, annotations: Annotations = {}, dataJson?: string): string {
  const data = dataJson === undefined ? '' : `,"data":${dataJson}`;
  return `{"status":"error"${data},"errorType":"${type}","error":${jsonString(message)}${annotationsJson(annotations)}}`;
}
