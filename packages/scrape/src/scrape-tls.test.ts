import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tempDir } from '@pyrometer/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from './internal/test-harness.js';
import { readSeries } from './internal/test-support.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

/** A self-signed certificate for 127.0.0.1 made with the system's openssl. */
function makeCert(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  return { cert, key };
}

async function httpsTarget(cert: string, key: string): Promise<string> {
  const server: Server = createServer({ cert: readFileSync(cert), key: readFileSync(key) }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end('secure 1\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('tls_config', () => {
  it.each([
    { name: 'trusts a server signed by ca_file', tls: (ca: string) => `{ca_file: '${ca}'}`, up: 1 },
    { name: 'checks the server name given in server_name', tls: (ca: string) => `{ca_file: '${ca}', server_name: localhost}`, up: 1 },
    { name: 'rejects an unknown CA', tls: () => '{}', up: 0 },
    { name: 'insecure_skip_verify accepts it anyway', tls: () => '{insecure_skip_verify: true}', up: 1 },
  ])('$name', async ({ tls, up }) => {
    const { cert, key } = makeCert(tempDir());
    const address = await httpsTarget(cert, key);
    const h = new Harness();
    cleanup.push(() => h.stop());
    await h.apply(`scrape_configs:\n  - job_name: test\n    scheme: https\n    scrape_interval: 10s\n    tls_config: ${tls(cert)}\n    static_configs: [{targets: ['${address}']}]\n`);
    await h.advance(10_000);
    expect([...(await readSeries(h.storage, 'up')).values()][0]!.map((p) => p.v)).toEqual([up]);
    if (up === 0) expect(h.target('test').lastError).toMatch(/certificate/i);
  });
});

describe('timeouts', () => {
  /** A plain HTTP target answering with `handler`, scraped once with a 200 ms scrape_timeout. */
  async function scrapeWithShortTimeout(handler: RequestListener): Promise<Harness> {
    const server = createHttpServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const h = new Harness();
    cleanup.push(() => h.stop());
    await h.apply(`scrape_configs:\n  - job_name: test\n    scrape_interval: 10s\n    scrape_timeout: 200ms\n    static_configs: [{targets: ['127.0.0.1:${(server.address() as AddressInfo).port}']}]\n`);
    await h.advance(10_000);
    return h;
  }

  it('fails a scrape that does not answer within scrape_timeout', async () => {
    const h = await scrapeWithShortTimeout(() => undefined);
    const t = h.target('test');
    expect(t.health).toBe('down');
    expect(t.lastError).toContain('timed out after 0.2s');
  });

  it('fails a scrape whose gzip body stops part-way, and scrapes the target again', async () => {
    const whole = gzipSync('a 1\nb 2\n');
    let requests = 0;
    // Headers and half of a gzip body, then nothing: the timeout falls in the body's read.
    const h = await scrapeWithShortTimeout((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', 'content-encoding': 'gzip' });
      res.write(whole.subarray(0, whole.length >> 1));
    });
    const t = h.target('test');
    expect(t.health).toBe('down');
    expect(t.lastError).toContain('timed out after 0.2s');
    await h.advance(10_000);
    expect(requests).toBe(2);
  });
});
