import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { defaultHttpClientConfig } from '@pyrometer/config';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyBuffer, HttpTargetClient } from './http-target-client.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

/** A server answering each request with the next of `bodies`: plain with a Content-Length, or gzipped and chunked. */
async function serve(bodies: { text: string; gzip: boolean }[]): Promise<string> {
  let n = 0;
  const server: Server = createServer((_req, res) => {
    const { text, gzip } = bodies[n++]!;
    if (!gzip) {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', 'content-encoding': 'gzip' });
    // Several writes, so the client reads the body in pieces and the buffer grows between them.
    const zipped = gzipSync(text);
    for (let i = 0; i < zipped.length; i += 1000) res.write(zipped.subarray(i, i + 1000));
    res.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `m{i="${i}",tag="${tag}"} ${i}\n`).join('');

async function client(): Promise<HttpTargetClient> {
  const c = await HttpTargetClient.create(defaultHttpClientConfig());
  cleanup.push(() => c.close());
  return c;
}

describe('HttpTargetClient with a lent BodyBuffer', () => {
  it('reads each body whole into the same bytes: larger, smaller, plain or gzipped', async () => {
    const bodies = [
      { text: lines(10, 'a'), gzip: false },
      { text: lines(5_000, 'b'), gzip: true },
      { text: lines(3, 'c'), gzip: false },
      { text: lines(2_000, 'd'), gzip: true },
      { text: lines(4_000, 'e'), gzip: false },
    ];
    const url = await serve(bodies);
    const c = await client();
    const into = new BodyBuffer();
    let largest = 0;
    for (const { text } of bodies) {
      const { body } = await c.fetch({ url, headers: {}, timeoutMs: 5_000, bodySizeLimit: 0, gzip: true, into });
      expect(body.toString('utf8')).toBe(text);
      expect(body.buffer).toBe(into.bytes.buffer);
      largest = Math.max(largest, body.length);
    }
    // Grown to fit the largest body (doubling while a gzipped body arrived in pieces), then reused.
    expect(into.bytes.length).toBeGreaterThanOrEqual(largest);
    expect(into.bytes.length).toBeLessThan(4 * largest);
  });

  it('still fails a body over the size limit', async () => {
    const url = await serve([{ text: lines(2_000, 'big'), gzip: true }]);
    const c = await client();
    await expect(c.fetch({ url, headers: {}, timeoutMs: 5_000, bodySizeLimit: 10_000, gzip: true, into: new BodyBuffer() })).rejects.toMatchObject({ code: 'body_size_limit' });
  });
});
