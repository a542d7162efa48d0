import fc from 'fast-check';
import { concretePath } from './request.js';
import type { RouteRequest } from './route-cases.js';

// Seeded random requests per route: the same seed gives the same requests on every run.

const SEGMENT = fc.oneof(
  fc.string({ maxLength: 12 }).map((s) => encodeURIComponent(s)),
  fc.constantFrom('%ZZ', '%', '%0', '%00', '%FF', '%C0%AF', '..', '.', '', '@base64', '%2F', '%E2%82'),
  fc.uint8Array({ minLength: 1, maxLength: 6 }).map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')),
);
const QUERY_PAIR = fc.tuple(fc.constantFrom('query', 'match[]', 'start', 'end', 'step', 'time', 'limit', 'timeout', 'skip_head', '%ZZ', ''), SEGMENT).map(([k, v]) => `${k}=${v}`);
const CONTENT_TYPE = fc.constantFrom(
  undefined, 'application/x-protobuf', 'application/x-www-form-urlencoded', 'text/plain; version=0.0.4', 'application/json',
  'application/openmetrics-text; version=1.0.0', 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited', 'x/;;',
);
const CONTENT_ENCODING = fc.constantFrom(undefined, 'gzip', 'snappy', 'identity', 'deflate');

/** `count` seeded random requests for a route (methods, extra path segments, queries, bodies). */
export function randomRequests(route: { methods: readonly string[]; path: string }, seed: number, count: number): RouteRequest[] {
  const arbitrary = fc.record({
    method: fc.constantFrom(...route.methods, 'GET', 'POST', 'PUT', 'DELETE'),
    param: SEGMENT,
    extra: fc.array(SEGMENT, { maxLength: 3 }),
    query: fc.array(QUERY_PAIR, { maxLength: 4 }),
    contentType: CONTENT_TYPE,
    contentEncoding: CONTENT_ENCODING,
    body: fc.option(fc.uint8Array({ maxLength: 2048 }), { nil: undefined }),
  });
  return fc.sample(arbitrary, { seed, numRuns: count }).map((r, i) => {
    const path = concretePath(route.path, () => r.param) + r.extra.map((s) => `/${s}`).join('');
    const headers: [string, string][] = [];
    if (r.contentType !== undefined) headers.push(['Content-Type', r.contentType]);
    if (r.contentEncoding !== undefined) headers.push(['Content-Encoding', r.contentEncoding]);
    const request: RouteRequest = { name: `random #${i + 1}`, method: r.method, target: r.query.length > 0 ? `${path}?${r.query.join('&')}` : path, headers };
    if (r.body !== undefined) request.body = Buffer.from(r.body);
    return request;
  });
}

/** Seeded noise bytes. */
export function noiseBytes(seed: number, length: number): Buffer {
  return Buffer.from(fc.sample(fc.uint8Array({ minLength: length, maxLength: length }), { seed, numRuns: 1 })[0]!);
}
