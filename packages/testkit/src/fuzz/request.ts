/** One request the fuzzer sends, and what is known about it before the answer. */
export interface FuzzCase {
  /** What the case tries, e.g. "path: param %ZZ". */
  name: string;
  /** The route pattern it aims at, or '' for cases about the request line or headers alone. */
  route: string;
  method: string;
  /** The request target as sent (shortened in reports). */
  target: string;
  /** The exact bytes written to the socket. */
  bytes: Buffer;
  /** True when the request is cut short on purpose: closing without an answer is then fine. */
  truncated: boolean;
}

/** How a request is put together; see {@link buildRequest}. */
export interface RequestParts {
  method: string;
  target: string;
  headers?: readonly (readonly [string, string])[];
  body?: Buffer;
  /** The Content-Length to declare; defaults to the body's length (none without a body). */
  contentLength?: number;
}

/**
 * The bytes of an HTTP/1.1 request with `Host`, `Connection: close` and `extraHeaders`
 * (authorization) before the case's own headers.
 */
export function buildRequest(parts: RequestParts, host: string, extraHeaders: readonly (readonly [string, string])[]): Buffer {
  const lines = [`${parts.method} ${parts.target} HTTP/1.1`, `Host: ${host}`, 'Connection: close'];
  for (const [name, value] of [...extraHeaders, ...(parts.headers ?? [])]) lines.push(`${name}: ${value}`);
  const declared = parts.contentLength ?? parts.body?.length;
  if (declared !== undefined) lines.push(`Content-Length: ${declared}`);
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), parts.body ?? Buffer.alloc(0)]);
}

/**
 * A concrete path for a route pattern: `:name` segments and a trailing `*name` are replaced by
 * `fill(name)` (already URL-encoded as it should appear on the wire).
 */
export function concretePath(pattern: string, fill: (param: string) => string): string {
  return pattern
    .split('/')
    .map((segment) => (segment.startsWith(':') || segment.startsWith('*') ? fill(segment.slice(1)) : segment))
    .join('/');
}

/** True when the pattern has a parameter segment. */
export function hasParams(pattern: string): boolean {
  return /\/[:*]/.test(pattern);
}
