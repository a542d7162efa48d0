import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { parseConfig } from '@pyrometer/config';
import { describe, expect, it } from 'vitest';
import { BodyBuffer, HttpTargetClient } from './http-target-client.js';

describe('HttpTargetClient', () => {
  it('reads successive bodies of any size and framing into one lent buffer, each exactly', async () => {
    const line = (i: number, n: number) => `metric_${i}{k="${'v'.repeat(n % 97)}"} ${n}\n`;
    const bodies = [200_000, 10, 700_000, 3_000, 1_500_000, 0].map((size, i) => {
      let text = '';
      for (let n = 0; text.length < size; n++) text += line(i, n);
      return Buffer.from(text);
    });
    // Each body three ways: with Content-Length, chunked without it, and gzip-compressed.
    const framings = ['length', 'chunked', 'gzip'] as const;
    let next = 0;
    const server = createServer((req, res) => {
      const body = bodies[Math.floor(next / framings.length)]!;
      const framing = framings[next++ % framings.length]!;
      if (framing === 'gzip') {
        res.writeHead(200, { 'content-encoding': 'gzip' });
        res.end(gzipSync(body));
      } else if (framing === 'length') {
        res.writeHead(200, { 'content-length': body.length });
        res.end(body);
      } else {
        res.writeHead(200);
        for (let at = 0; at < body.length; at += 50_000) res.write(body.subarray(at, at + 50_000));
        res.end();
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const config = parseConfig('scrape_configs: [{ job_name: t }]', 'test.yml', { env: {} });
    const client = await HttpTargetClient.create(config.scrapeConfigs[0]!.httpClient);
    const into = new BodyBuffer();
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
      for (const body of bodies) {
        for (const framing of framings) {
          const got = await client.fetch({ url, headers: {}, timeoutMs: 10_000, bodySizeLimit: 0, gzip: true, into });
          expect({ framing, length: got.body.length, same: got.body.equals(body) }).toEqual({ framing, length: body.length, same: true });
        }
      }
    } finally {
      await client.close();
      server.close();
    }
  });
});
