import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpError } from './http-error.js';
import { readBody } from './read-body.js';

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

/** A server reading each body with `limit`; resolves with what readBody returned or threw, per request. */
async function serve(limit: number): Promise<{ port: number; outcome: Promise<Buffer | HttpError> }> {
  let settle!: (v: Buffer | HttpError) => void;
  const outcome = new Promise<Buffer | HttpError>((resolve) => (settle = resolve));
  server = createServer((req, res) => {
    readBody(req, limit).then(settle, settle);
    res.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, outcome };
}

function send(port: number, request: string): void {
  const socket = connect({ port, host: '127.0.0.1' }, () => socket.end(request));
  socket.on('error', () => undefined);
}

describe('readBody', () => {
  it('reads a body within the limit', async () => {
    const { port, outcome } = await serve(10);
    send(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello');
    expect((await outcome).toString()).toBe('hello');
  });

  it.each([
    { name: 'a declared length over the limit, before reading', request: 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n', message: 'request body of 11 bytes exceeds the limit of 10 bytes' },
    { name: 'a chunked body growing past the limit', request: 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n', message: 'request body exceeds the limit of 10 bytes' },
  ])('refuses $name with 413', async ({ request, message }) => {
    const { port, outcome } = await serve(10);
    send(port, request);
    expect(await outcome).toEqual(expect.objectContaining({ code: 'body_too_large', status: 413, message }));
  });

  it('reads a body sent in several pieces, and an empty one', async () => {
    const { port, outcome } = await serve(100);
    send(port, 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n');
    expect((await outcome).toString()).toBe('abcdefg');
    server?.closeAllConnections();
    server?.close();
    const empty = await serve(100);
    send(empty.port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n');
    expect((await empty.outcome).toString()).toBe('');
  });

  it('reports a body cut short by the client as 400', async () => {
    const { port, outcome } = await serve(100);
    send(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\nshort');
    expect(await outcome).toEqual(expect.objectContaining({ code: 'body_unreadable', status: 400, message: expect.stringMatching(/^reading the request body failed: /) }));
  });
});
