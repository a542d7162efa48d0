import { isLegacyLabelName } from '@pyrometer/model';
import { PushgatewayError } from './errors.js';

/** The suffix on `job` or a label name in a push URL that marks its value as URL-safe base64. */
const BASE64_SUFFIX = '@base64';

/**
 * A grouping key: the labels of a push URL, `job` included. Values may be empty (written
 * `@base64/=` in a URL). Plain records are used because an empty value is significant here.
 */
export type GroupingLabels = Readonly<Record<string, string>>;

/**
 * The canonical string of a grouping key, equal for equal label sets: names sorted, each pair
 * written `name\xffvalue`, pairs joined by `\xff` (upstream's `groupingKeyFor`).
 */
export function groupingKeyOf(labels: GroupingLabels): string {
  const names = Object.keys(labels).sort();
  let out = '';
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (i > 0) out += '\xff';
    out += name + '\xff' + labels[name]!;
  }
  return out;
}

/**
 * Decodes an `@base64` value as upstream does: trailing `=` are trimmed, then the rest must be
 * unpadded URL-safe base64 (client_java sends URL-safe with padding, which this
 * accepts; the standard alphabet's `+` and `/` are refused as Go's RawURLEncoding does). Throws a `bad_request` error naming the value on invalid input.
 */
export function decodeBase64Value(encoded: string, what: string): string {
  const trimmed = encoded.replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(trimmed) || trimmed.length % 4 === 1) {
    throw new PushgatewayError('bad_request', `invalid base64 encoding ${what} ${JSON.stringify(encoded)}: illegal base64 data`);
  }
  return Buffer.from(trimmed, 'base64url').toString('utf8');
}

/**
 * Parses the grouping key of a push URL path that follows `/metrics/` (for example
 * `job/x/instance@base64/=`; percent-decoding already applied by the caller). Returns the labels
 * with `job`; throws a `bad_request` error with upstream's wording for an empty job, an odd number
 * of components, an improper label name or invalid base64.
 */
export function parseGroupingPath(path: string): Record<string, string> {
  const parts = path.split('/');
  const first = parts.shift();
  if (first !== 'job' && first !== 'job' + BASE64_SUFFIX) throw new PushgatewayError('bad_request', `unknown push path /metrics/${path}: expected /metrics/job/<job>{/<label>/<value>}`);
  let job = parts.shift() ?? '';
  if (first !== 'job') job = decodeBase64Value(job, 'in job name');
  const rest = parts.join('/');
  const labels: Record<string, string> = {};
  if (rest.length > 0) {
    const components = rest.split('/');
    if (components.length % 2 !== 0) throw new PushgatewayError('bad_request', `odd number of components in label string ${JSON.stringify('/' + rest)}`);
    for (let i = 0; i < components.length; i += 2) {
      const rawName = components[i]!;
      const value = components[i + 1]!;
      const isBase64 = rawName.endsWith(BASE64_SUFFIX);
      const name = isBase64 ? rawName.slice(0, -BASE64_SUFFIX.length) : rawName;
      if (!isLegacyLabelName(name) || name.startsWith('__')) throw new PushgatewayError('bad_request', `improper label name ${JSON.stringify(name)}`);
      labels[name] = isBase64 ? decodeBase64Value(value, `for label ${name}=`) : value;
    }
  }
  if (job === '') throw new PushgatewayError('bad_request', 'job name is required');
  labels['job'] = job;
  return labels;
}
