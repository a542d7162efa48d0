import { describe, expect, it } from 'vitest';
import { Http1Response, HttpProtocolError, type ResponseHead } from './http1-response.js';

/** Feeds `raw` cut at `cuts` (positions) and returns the head, the body and whether it completed. */
function read(raw: string, cuts: number[] = [], closeAtEnd = false): { head: ResponseHead | undefined; body: string; done: boolean; extra: boolean } {
  const bytes = Buffer.from(raw, 'latin1');
  let head: ResponseHead | undefined;
  let body = '';
  const r = new Http1Response({ head: (h) => (head = h), body: (b, s, e) => (body += b.toString('latin1', s, e)) });
  let done = false;
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    // Each piece in a buffer of its own, reused afterwards, as the socket's read buffer is.
    const piece = Buffer.from(bytes.subarray(from, to));
    if (to > from) done = r.feed(piece, 0, piece.length) || done;
    piece.fill(0x78);
    from = to;
  }
  if (closeAtEnd) done = r.endOfStream();
  return { head, body, done, extra: r.extraBytes };
}

const everyCut = (raw: string) => Array.from({ length: raw.length - 1 }, (_, i) => [i + 1]);

describe('Http1Response', () => {
  it('reads a Content-Length body whichever way the bytes are cut', () => {
    const raw = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: 11\r\n\r\nm 1\nn 2\no 3';
    for (const cuts of [[], ...everyCut(raw), [5, 40, 70, 80]]) {
      const got = read(raw, cuts);
      expect(got).toMatchObject({ body: 'm 1\nn 2\no 3', done: true, extra: false });
      expect(got.head).toMatchObject({ status: 200, contentType: 'text/plain; version=0.0.4', contentEncoding: '', contentLength: 11, keepAlive: true });
    }
  });

  it('reads a chunked body with extensions, trailers and bare LF line ends, whichever way cut', () => {
    const raw = 'HTTP/1.1 200 OK\nTransfer-Encoding: chunked\nContent-Length: 3\n\n4;name=v\r\nm 1\n\r\nB\r\nn 22\no 333\n\r\n0\r\nX-Trailer: t\r\n\r\n';
    for (const cuts of [[], ...everyCut(raw)]) {
      const got = read(raw, cuts);
      expect(got).toMatchObject({ body: 'm 1\nn 22\no 333\n', done: true, extra: false });
      expect(got.head).toMatchObject({ contentLength: NaN, keepAlive: true });
    }
  });

  it('reads a body without framing until the connection ends, and does not keep that connection', () => {
    const raw = 'HTTP/1.1 200 OK\r\nContent-Encoding: GZIP\r\n\r\nabc';
    expect(read(raw)).toMatchObject({ body: 'abc', done: false });
    expect(read(raw, [], true)).toMatchObject({ body: 'abc', done: true, head: { contentEncoding: 'gzip', keepAlive: false } });
  });

  it('says whether the connection can be kept', () => {
    const keep = (headLines: string, version = '1.1') => read(`HTTP/${version} 200 OK\r\n${headLines}Content-Length: 0\r\n\r\n`).head!.keepAlive;
    expect(keep('')).toBe(true);
    expect(keep('Connection: close\r\n')).toBe(false);
    expect(keep('', '1.0')).toBe(false);
    expect(keep('Connection: Keep-Alive\r\n', '1.0')).toBe(true);
  });

  it('skips interim heads, stops at the head of a status other than 200, and notes bytes after the end', () => {
    expect(read('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')).toMatchObject({ head: { status: 200 }, body: 'ok', done: true });
    expect(read('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy')).toMatchObject({ head: { status: 503 }, body: '', done: true, extra: true });
    expect(read('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP')).toMatchObject({ body: 'ok', done: true, extra: true });
  });

  it('refuses malformed responses with a clear error', () => {
    const fails = (raw: string) => () => read(raw);
    expect(fails('SSH-2.0-OpenSSH_9.2\r\n\r\n')).toThrow(new HttpProtocolError('malformed HTTP status line "SSH-2.0-OpenSSH_9.2"'));
    expect(fails('HTTP/1.1 200 OK\r\nno colon here\r\n\r\n')).toThrow(/malformed HTTP header line "no colon here"/);
    expect(fails('HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n')).toThrow(/invalid Content-Length "12x"/);
    expect(fails('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n')).toThrow(/invalid Content-Length "2"/);
    expect(fails('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')).toThrow(/malformed chunk size/);
    expect(fails('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabc')).toThrow(/missing line end after a chunk/);
    expect(fails('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000\r\n')).toThrow(/chunk size too large/);
    expect(fails(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`)).toThrow(/response head larger than 65536 bytes/);
  });
});
