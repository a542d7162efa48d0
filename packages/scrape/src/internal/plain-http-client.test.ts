import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { defaultHttpClientConfig } from '@pyrometer/config';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyBuffer, HttpTargetClient } from './http-target-client.js';
import type { ResponseHead } from './http1-response.js';
import { PlainHttpClient } from './plain-http-client.js';

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function listen(server: Server | ReturnType<typeof createNetServer>): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An HTTP server counting the connections it accepted. */
async function countingServer(handle: Parameters<typeof createHttpServer>[1]): Promise<{ base: string; connections: () => number }> {
  let connections = 0;
  const server = createHttpServer(handle);
  server.on('connection', () => connections++);
  cleanup.push(() => server.closeAllConnections());
  return { base: await listen(server), connections: () => connections };
}

function plainClient(): PlainHttpClient {
  const c = new PlainHttpClient();
  cleanup.push(() => c.close());
  return c;
}

/** GETs `url` and returns the status and the body as text. */
async function get(c: PlainHttpClient, url: string, signal = new AbortController().signal): Promise<{ head: ResponseHead; text: string }> {
  let text = '';
  const head = await c.get(new URL(url), { accept: 'text/plain' }, { head: () => undefined, body: (b, s, e) => (text += b.toString('utf8', s, e)) }, signal);
  return { head, text };
}

describe('PlainHttpClient', () => {
  it('sends the headers and keeps one connection for requests one after the other', async () => {
    const { base, connections } = await countingServer((req, res) => res.end(`${req.url} ${req.headers['accept']} ${req.headers['host']}`));
    const c = plainClient();
    for (let i = 0; i < 3; i++) expect((await get(c, `${base}/metrics?i=${i}`)).text).toBe(`/metrics?i=${i} text/plain ${new URL(base).host}`);
    expect(connections()).toBe(1);
  });

  it('sends the request again on a new connection when the server closed the pooled one', async () => {
    let connections = 0;
    // Answers one request as keep-alive, then closes the connection while it sits in the pool.
    const server = createNetServer((socket: Socket) => {
      connections++;
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nup 1\n');
        setTimeout(() => socket.end(), 20);
      });
    });
    const base = await listen(server);
    const c = plainClient();
    expect((await get(c, `${base}/metrics`)).text).toBe('up 1\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await get(c, `${base}/metrics`)).text).toBe('up 1\n');
    expect(connections).toBe(2);
  });

  it('sends the request again when the pooled connection closes instead of answering', async () => {
    let connections = 0;
    // Answers the first request of each connection; closes it at the second, as a server whose idle timeout ran out at that moment.
    const server = createNetServer((socket: Socket) => {
      connections++;
      let requests = 0;
      socket.on('data', () => (++requests === 1 ? socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nup 1\n') : socket.destroy()));
    });
    const base = await listen(server);
    const c = plainClient();
    for (let i = 0; i < 3; i++) expect((await get(c, `${base}/metrics`)).text).toBe('up 1\n');
    expect(connections).toBe(3);
  });

  it('fails a response cut short, and reads one ended by the close', async () => {
    let answer = '';
    const server = createNetServer((socket: Socket) => socket.once('data', () => socket.end(answer)));
    const base = await listen(server);
    const c = plainClient();
    answer = 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nup 1\n';
    await expect(get(c, `${base}/metrics`)).rejects.toThrow('connection closed before the response ended');
    answer = 'HTTP/1.1 200 OK\r\n\r\nup 1\n';
    expect((await get(c, `${base}/metrics`)).text).toBe('up 1\n');
    answer = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nup 1\n\r\n';
    await expect(get(c, `${base}/metrics`)).rejects.toThrow('connection closed before the response ended');
  });

  it('stops at the abort signal with its reason, and refuses a header with a line break', async () => {
    const { base } = await countingServer(() => undefined);
    const c = plainClient();
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error('scrape stopped')), 50);
    await expect(get(c, `${base}/metrics`, abort.signal)).rejects.toThrow('scrape stopped');
    await expect(c.get(new URL(`${base}/metrics`), { 'x-bad': 'a\r\nhost: b' }, { head: () => undefined, body: () => undefined }, new AbortController().signal)).rejects.toThrow(
      'invalid HTTP header "x-bad": line breaks are not allowed',
    );
  });
});

describe('HttpTargetClient over plain HTTP', () => {
  it('follows a redirect, and fails a status other than 200 with its text', async () => {
    const { base } = await countingServer((req, res) => {
      if (req.url === '/old') res.writeHead(302, { location: '/metrics' }).end();
      else if (req.url === '/metrics') res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end('up 1\n');
      else res.writeHead(404).end('no');
    });
    const c = await HttpTargetClient.create(defaultHttpClientConfig());
    cleanup.push(() => c.close());
    const fetch = (path: string) => c.fetch({ url: `${base}${path}`, headers: {}, timeoutMs: 5_000, bodySizeLimit: 0, gzip: true, into: new BodyBuffer() });
    const got = await fetch('/old');
    expect(got.body.toString()).toBe('up 1\n');
    expect(got.contentType).toBe('text/plain; version=0.0.4');
    await expect(fetch('/nowhere')).rejects.toMatchObject({ code: 'http_status', message: 'server returned HTTP status 404 Not Found' });
  });

  it('fails an identity body over the size limit, whether or not its length is declared', async () => {
    const { base } = await countingServer((req, res) => {
      if (req.url === '/declared') res.writeHead(200, { 'content-length': 20_000 });
      res.end('x'.repeat(20_000));
    });
    const c = await HttpTargetClient.create(defaultHttpClientConfig());
    cleanup.push(() => c.close());
    for (const path of ['/declared', '/chunked']) {
      await expect(c.fetch({ url: `${base}${path}`, headers: {}, timeoutMs: 5_000, bodySizeLimit: 10_000, gzip: false, into: new BodyBuffer() })).rejects.toMatchObject({ code: 'body_size_limit' });
    }
  });

  it('stops reading a gzipped body once it is over the size limit', async () => {
    const zipped = gzipSync(Array.from({ length: 200_000 }, (_, i) => `m{i="${i}"} ${i * 7919}\n`).join(''));
    const pieces = Math.ceil(zipped.length / 1000);
    let written = 0;
    let closedAfter = -1;
    const { base } = await countingServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.on('close', () => (closedAfter = written));
      const next = () => {
        if (res.destroyed) return;
        if (written === pieces) return void res.end();
        res.write(zipped.subarray(written * 1000, ++written * 1000));
        setTimeout(next, 2);
      };
      next();
    });
    const c = await HttpTargetClient.create(defaultHttpClientConfig());
    cleanup.push(() => c.close());
    await expect(c.fetch({ url: `${base}/metrics`, headers: {}, timeoutMs: 30_000, bodySizeLimit: 10_000, gzip: true, into: new BodyBuffer() })).rejects.toMatchObject({ code: 'body_size_limit' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closedAfter).toBeGreaterThan(0);
    expect(closedAfter).toBeLessThan(pieces);
  });
});
