import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultHttpClientConfig } from '@pyrometer/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from './client.js';

// The client against a real local server: the request line and headers it sends, and redirects.

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/moved') {
      res.writeHead(302, { location: '/arrived' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, url: req.url, team: req.headers['x-team'] ?? null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function send(client: HttpClient, url: string, headers: Record<string, string> = {}) {
  const res = await client.request(url, { method: 'POST', headers, body: 'x', signal: AbortSignal.timeout(10_000) });
  return { status: res.statusCode, body: await res.body.text() };
}

describe('HttpClient', () => {
  it('sends the path with its query, and its configured headers over the caller’s', async () => {
    const client = await HttpClient.create({ ...defaultHttpClientConfig(), httpHeaders: { 'X-Team': ['ops', 'dev'] } });
    try {
      const answer = await send(client, `${base}/api/v2/alerts?a=1&b=%2F`, { 'x-team': 'caller' });
      expect(answer).toEqual({ status: 200, body: JSON.stringify({ method: 'POST', url: '/api/v2/alerts?a=1&b=%2F', team: 'ops, dev' }) });
    } finally {
      await client.close();
    }
  });

  it('follows a redirect when follow_redirects is set, and returns it when not', async () => {
    const following = await HttpClient.create(defaultHttpClientConfig());
    const staying = await HttpClient.create({ ...defaultHttpClientConfig(), followRedirects: false });
    try {
      const followed = await following.request(`${base}/moved`, { method: 'GET', headers: {}, signal: AbortSignal.timeout(10_000) });
      expect([followed.statusCode, JSON.parse(await followed.body.text()).url]).toEqual([200, '/arrived']);
      const kept = await staying.request(`${base}/moved`, { method: 'GET', headers: {}, signal: AbortSignal.timeout(10_000) });
      await kept.body.text();
      expect([kept.statusCode, kept.headers['location']]).toEqual([302, '/arrived']);
    } finally {
      await Promise.all([following.close(), staying.close()]);
    }
  });

  it('rejects a URL that is not http(s), naming the problem', async () => {
    const client = await HttpClient.create(defaultHttpClientConfig());
    try {
      await expect(send(client, 'ftp://127.0.0.1/x')).rejects.toThrow(/URL protocol/);
      await expect(send(client, 'not a url')).rejects.toThrow(/URL/);
    } finally {
      await client.close();
    }
  });
});
