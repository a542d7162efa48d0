/**
 * Builds the Pushgateway path the way simpleclient 0.8.1's `PushGateway` does: `job/<job>` and
 * `/<name>/<value>` per grouping-key entry, each form-encoded with Java's `URLEncoder` (space → `+`),
 * or `<name>@base64/<url-safe base64>` when the value contains a `/`.
 */
export function groupingPath(job: string, groupingKey: ReadonlyArray<readonly [string, string]>): string {
  let path = job.includes('/') ? `job@base64/${base64Url(job)}` : `job/${javaUrlEncode(job)}`;
  for (const [name, value] of groupingKey) {
    path += value.includes('/') ? `/${name}@base64/${base64Url(value)}` : `/${name}/${javaUrlEncode(value)}`;
  }
  return path;
}

/** `java.net.URLEncoder.encode(s, "UTF-8")`: letters, digits and `.-*_` stay; space → `+`; the rest %XX. */
export function javaUrlEncode(s: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9.*_-]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Java's `Base64.getUrlEncoder()` (with padding), as simpleclient uses for `@base64` segments. */
function base64Url(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}
