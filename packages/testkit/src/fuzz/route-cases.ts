import { concretePath, hasParams, type RequestParts } from './request.js';
import { gzipBomb, snappyBlockBomb, snappyBlockLengthBomb, snappyFramedBomb, truncatedGzip, truncatedSnappyFramed } from './payloads.js';

/** One route of an app's own table; see FuzzRoute in fuzz-http.ts. */
interface Route {
  methods: readonly string[];
  path: string;
}

/** A request for one route, before framing; `truncated` marks bodies cut short on purpose. */
export interface RouteRequest extends RequestParts {
  name: string;
  truncated?: boolean;
}

/** Values a path parameter takes, as they appear on the wire. */
const PARAM_VALUES: readonly [string, string][] = [
  ['invalid escape', '%ZZ'],
  ['NUL', '%00'],
  ['invalid UTF-8', '%FF%FE'],
  ['truncated UTF-8', '%E2%82'],
  ['encoded slash', 'a%2Fb'],
  ['dot', '.'],
  ['dot-dot', '..'],
  ['encoded dot-dot', '%2E%2E'],
  ['empty', ''],
  ['base64 marker', 'x@base64'],
  ['non-ASCII', '%E2%82%AC'],
  ['100 KB', 'x'.repeat(100_000)],
];

/** Query strings: malformed escapes, invalid UTF-8, absurd values, parser stress. */
const QUERIES: readonly [string, string][] = [
  ['invalid escape', '%ZZ=1&query=%ZZ'],
  ['invalid UTF-8', 'query=%FF&match[]=%FF%FE'],
  ['invalid UTF-8 in a string', 'query=up%7Bjob%3D%22%FF%22%7D&match[]=up%7Bjob%3D%22%FF%22%7D'],
  ['empty pairs', '&&==&=&'],
  ['absurd numbers', 'start=abc&end=1e400&step=-1&time=NaN&limit=-5&timeout=-1s&skip_head=maybe'],
  ['NUL', 'query=%00&match[]=%00'],
  ['unbalanced braces', `match[]=${'%7B'.repeat(5000)}`],
  ['10,000 nested parentheses', `query=${'('.repeat(10_000)}1${')'.repeat(10_000)}`],
  ['5,000-term sum', `query=${Array(5000).fill('up').join('%2B')}`],
  ['200 KB value', `query=${'a'.repeat(200_000)}`],
  ['2 MiB query', 'x'.repeat(2 * 2 ** 20)],
];

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
const BODY_METHODS = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

const PROTOBUF = 'application/x-protobuf';
const DELIMITED = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';
const FORM = 'application/x-www-form-urlencoded';

/** Path-level cases of a route, sent with its first method. */
export function pathRequests(route: Route): RouteRequest[] {
  const method = route.methods[0]!;
  const base = concretePath(route.path, () => 'fuzz');
  const out: RouteRequest[] = [
    { name: 'path: as declared', method, target: base },
    { name: 'path: leading //', method, target: '/' + base },
    { name: 'path: trailing /', method, target: base + '/' },
    { name: 'path: /./ inside', method, target: base.replace(/^\/([^/]*)/, '/$1/.') },
    { name: 'path: /.. at the end', method, target: base + '/..' },
  ];
  for (const [what, value] of PARAM_VALUES) {
    const target = hasParams(route.path) ? concretePath(route.path, () => value) : `${base}/${value}`;
    out.push({ name: `path: parameter ${what}`, method, target });
  }
  for (const [what, query] of QUERIES) out.push({ name: `query: ${what}`, method, target: `${base}?${query}` });
  for (const other of ALL_METHODS.filter((m) => !route.methods.includes(m))) out.push({ name: `method: ${other}`, method: other, target: base });
  out.push({ name: 'method: lower-case', method: method.toLowerCase(), target: base });
  return out;
}

/** Header-level cases of a route, sent with its first method. */
export function headerRequests(route: Route): RouteRequest[] {
  const method = route.methods[0]!;
  const target = concretePath(route.path, () => 'fuzz');
  const withHeader = (name: string, header: string, value: string): RouteRequest => ({ name: `header: ${name}`, method, target, headers: [[header, value]] });
  return [
    withHeader('odd Accept-Encoding', 'Accept-Encoding', 'gzip;q=abc, *;q=-1, br'),
    withHeader('odd Accept', 'Accept', 'application/vnd.google.protobuf;proto=garbage;encoding=delimited, */*;q=x'),
    withHeader('bad basic auth', 'Authorization', 'Basic %%%'),
    withHeader('basic auth without colon', 'Authorization', `Basic ${Buffer.from('nocolon').toString('base64')}`),
    withHeader('odd Origin', 'Origin', 'null'),
    withHeader('garbage Content-Type', 'Content-Type', ';;;=;'),
    withHeader('unknown remote-write version', 'X-Prometheus-Remote-Write-Version', '99.0'),
    withHeader('500 KB header', 'X-Fuzz', 'v'.repeat(500_000)),
  ];
}

/** Body cases of a route, for each of its methods that takes a body. */
export function bodyRequests(route: Route, oversizeBodyBytes: number | undefined, noise: Buffer): RouteRequest[] {
  const target = concretePath(route.path, () => 'fuzz');
  const out: RouteRequest[] = [];
  for (const method of route.methods.filter((m) => BODY_METHODS.has(m))) {
    const body = (name: string, contentType: string | undefined, data: Buffer, encoding?: string): RouteRequest => {
      const headers: [string, string][] = [];
      if (contentType !== undefined) headers.push(['Content-Type', contentType]);
      if (encoding !== undefined) headers.push(['Content-Encoding', encoding]);
      return { name: `body: ${name}`, method, target, headers, body: data };
    };
    out.push(
      { name: 'body: none', method, target },
      body('empty form', FORM, Buffer.alloc(0)),
      body('form with bad escapes', FORM, Buffer.from('query=%ZZ&match[]=%FF&start=abc&%ZZ')),
      body('form with deep nesting', FORM, Buffer.from(`query=${'('.repeat(10_000)}1${')'.repeat(10_000)}`)),
      body('form in UTF-16', `${FORM}; charset=utf-16`, Buffer.from('query=up', 'utf16le')),
      body('multipart without boundary', 'multipart/form-data', Buffer.from('--x\r\n')),
      body('broken JSON', 'application/json', Buffer.from('{"a":')),
      body('protobuf noise', PROTOBUF, noise),
      body('snappy noise', PROTOBUF, noise, 'snappy'),
      body('snappy block declaring 4 GiB', PROTOBUF, snappyBlockLengthBomb(), 'snappy'),
      body('snappy block of 16 MiB', PROTOBUF, snappyBlockBomb(), 'snappy'),
      body('snappy framed chunks of 16 MiB', 'text/plain; version=0.0.4', snappyFramedBomb(), 'snappy'),
      body('snappy framed stream cut short', 'text/plain; version=0.0.4', truncatedSnappyFramed(), 'snappy'),
      body('gzip bomb of 1 GiB', 'text/plain; version=0.0.4', gzipBomb(), 'gzip'),
      body('gzip cut short', 'text/plain; version=0.0.4', truncatedGzip(), 'gzip'),
      body('unsupported encoding br', PROTOBUF, noise, 'br'),
      body('unknown encoding', 'text/plain', Buffer.from('x 1\n'), 'x-fuzz'),
      body('two encodings', PROTOBUF, noise, 'gzip, snappy'),
      body('broken exposition', 'text/plain; version=0.0.4', Buffer.from('metric{label="x" 1\n# TYPE\n')),
      body('invalid UTF-8 exposition', 'text/plain; version=0.0.4', Buffer.from([...Buffer.from('m{l="'), 0xff, 0xfe, ...Buffer.from('"} 1\n')])),
      body('delimited protobuf noise', DELIMITED, noise),
      body('remote write 2.0 noise', 'application/x-protobuf;proto=io.prometheus.write.v2.Request', noise, 'snappy'),
      body('garbage Content-Type', ';;;=;', noise),
      { name: 'body: cut short', method, target, headers: [['Content-Type', PROTOBUF]], body: noise.subarray(0, 10), contentLength: 1000, truncated: true },
      { name: 'body: declares 10 GiB', method, target, headers: [['Content-Type', PROTOBUF]], body: noise, contentLength: 10 * 2 ** 30, truncated: true },
    );
    if (oversizeBodyBytes !== undefined) out.push(body(`${oversizeBodyBytes} bytes (over the limit)`, PROTOBUF, Buffer.alloc(oversizeBodyBytes, 7), 'snappy'));
  }
  return out;
}
