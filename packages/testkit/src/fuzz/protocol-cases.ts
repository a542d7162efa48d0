import type { FuzzCase } from './request.js';

// Malformed request lines and headers, sent once per app: they never reach a route, so they test
// the HTTP server's own parser and what the app answers for what it cannot parse.

const raw = (name: string, text: string | Buffer, truncated = false): FuzzCase => ({
  name,
  route: '',
  method: '-',
  target: '-',
  bytes: typeof text === 'string' ? Buffer.from(text, 'latin1') : text,
  truncated,
});

/** `GET <target>` with the usual headers, as raw text. */
const get = (target: string, headers = '') => `GET ${target} HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n${headers}\r\n`;

const TWO_MIB = 2 * 2 ** 20;

/** The request-line and header cases; `seedBytes` is seeded noise for the binary-junk case. */
export function protocolCases(seedBytes: Buffer): FuzzCase[] {
  return [
    raw('request line: //', get('//')),
    raw('request line: /%ZZ', get('/%ZZ')),
    raw('request line: raw NUL in the path', get('/a\0b')),
    raw('request line: raw bytes >= 0x80 in the path', Buffer.concat([Buffer.from('GET /\xff\xfe'), Buffer.from(' HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n\r\n')])),
    raw('request line: 2 MiB path', get('/' + 'a'.repeat(TWO_MIB))),
    raw('request line: garbage', 'GARBAGE\r\n\r\n'),
    raw('request line: empty lines only', '\r\n\r\n\r\n', true),
    raw('request line: double space', 'GET  / HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n\r\n'),
    raw('request line: HTTP/9.9', 'GET / HTTP/9.9\r\nHost: fuzz\r\nConnection: close\r\n\r\n'),
    raw('request line: HTTP/0.9', 'GET /\r\n\r\n'),
    raw('request line: HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
    raw('request line: absolute form', get('http://example.com/')),
    raw('request line: OPTIONS *', 'OPTIONS * HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n\r\n'),
    raw('request line: CONNECT', 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nConnection: close\r\n\r\n'),
    raw('request line: lower-case method', 'get / HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n\r\n'),
    raw('request line: unknown method', 'FOO / HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n\r\n'),
    raw('request line: 10 KiB method', `${'A'.repeat(10240)} / HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n\r\n`),
    raw('headers: no Host', 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n'),
    raw('headers: line without colon', get('/', 'NoColonHere\r\n')),
    raw('headers: obsolete line folding', get('/', 'X-Folded: a\r\n b\r\n')),
    raw('headers: NUL in a value', get('/', 'X-Nul: a\0b\r\n')),
    raw('headers: space before colon', get('/', 'X-Space : a\r\n')),
    raw('headers: 2 MiB value', get('/', `X-Big: ${'b'.repeat(TWO_MIB)}\r\n`)),
    raw('headers: 5000 headers', get('/', Array.from({ length: 5000 }, (_, i) => `X-H${i}: v\r\n`).join(''))),
    raw('headers: Content-Length not a number', 'POST / HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\nContent-Length: abc\r\n\r\n'),
    raw('headers: negative Content-Length', 'POST / HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\nContent-Length: -1\r\n\r\n'),
    raw('headers: two different Content-Lengths', 'POST / HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'),
    raw('headers: chunked and Content-Length', 'POST / HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n1\r\na\r\n0\r\n\r\n'),
    raw('headers: unsupported Transfer-Encoding', 'POST / HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\nTransfer-Encoding: gzip\r\n\r\nabc'),
    raw('body: bad chunk size', 'POST / HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n'),
    raw('body: chunked stream cut short', 'POST / HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n100\r\nabc', true),
    raw('headers: Expect: 100-continue', 'POST / HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc'),
    raw('headers: unknown Expect', 'POST / HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\nExpect: fuzz\r\nContent-Length: 3\r\n\r\nabc'),
    raw('headers: cut short', 'GET / HTTP/1.1\r\nHost: fu', true),
    raw('binary junk', seedBytes, true),
  ];
}
