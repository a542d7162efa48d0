import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { tempDir } from '@pyrometer/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createUiHandler, type UiHandlerOptions } from '../serve/ui-handler.js';
import { withUi } from '../serve/with-ui.js';

const INDEX = '<!doctype html><html><head><meta charset="utf-8" /><title>Pyrometer</title><script type="module" src="./assets/index-abc.js"></script></head><body></body></html>';

function fakeBundle(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'index-abc.js'), `console.log(${JSON.stringify('x'.repeat(4000))});`);
  writeFileSync(join(dir, 'secret.txt'), 'not an asset');
  return dir;
}

let server: Server | undefined;
afterEach(() => server?.close());

async function serve(options: UiHandlerOptions): Promise<string> {
  const ui = createUiHandler(options);
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (ui.handles(path)) ui.serve(req, res, path);
    else res.writeHead(418).end();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the UI handler', () => {
  it('answers every page path with index.html naming the app and its base path', async () => {
    const base = await serve({ app: 'prometheus', basePath: '/prom', assetsDir: fakeBundle() });
    for (const path of ['/query', '/graph', '/targets', '/flink/job/abc']) {
      const res = await fetch(base + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await res.text();
      expect(html).toContain('<head>\n    <base href="/prom/" />\n    <meta name="pyrometer-app" content="prometheus" />');
    }
  });

  it('takes a base path with a trailing slash (an app whose prefix is "/") as the same path without it', async () => {
    const base = await serve({ app: 'alertmanager', basePath: '/', assetsDir: fakeBundle() });
    expect(await (await fetch(`${base}/alerts`)).text()).toContain('<base href="/" />');
  });

  it('redirects / to the start page keeping the query string, where the app has one', async () => {
    const base = await serve({ app: 'prometheus', basePath: '', assetsDir: fakeBundle() });
    const res = await fetch(`${base}/?g0.expr=up`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/query?g0.expr=up');
    const pushgateway = await fetch(`${await serve({ app: 'pushgateway', basePath: '', assetsDir: fakeBundle() })}/`);
    expect(await pushgateway.text()).toContain('content="pushgateway"');
  });

  it('serves hashed assets gzipped with long-lived caching, and nothing outside the bundle', async () => {
    const base = await serve({ app: 'alertmanager', basePath: '', assetsDir: fakeBundle() });
    const res = await fetch(`${base}/assets/index-abc.js`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await res.text()).toContain('xxxx');
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/assets/..%2fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${base}/secret.txt`)).status).toBe(418);
    const raw = await new Promise<Buffer>((resolve) => {
      void import('node:http').then(({ get }) => get(`${base}/assets/index-abc.js`, { headers: { 'Accept-Encoding': 'gzip' } }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks)));
      }));
    });
    expect(gunzipSync(raw).toString()).toContain('console.log');
  });

  it('answers 404 with how to build the UI when the bundle is missing', async () => {
    const base = await serve({ app: 'pushgateway', basePath: '', assetsDir: join(tempDir(), 'missing') });
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('npx pnpm --filter @pyrometer/web build');
  });

  it('withUi answers the pages under the route prefix and passes everything else on', async () => {
    const listener = withUi((req, res) => void res.writeHead(418).end(req.url), { app: 'pushgateway', basePath: '/pg', routePrefix: '/pg', assetsDir: fakeBundle() });
    server = createServer((req, res) => void listener(req, res, { path: (req.url ?? '/').split('?')[0]! }));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const path of ['/pg', '/pg/', '/pg/status', '/pg/assets/index-abc.js']) expect((await fetch(base + path)).status, path).toBe(200);
    expect(await (await fetch(`${base}/pg/`)).text()).toContain('<base href="/pg/" />');
    for (const path of ['/pg/metrics', '/status', '/pg/api/v1/status']) expect((await fetch(base + path)).status, path).toBe(418);
    expect((await fetch(`${base}/pg/`, { method: 'DELETE' })).status).toBe(418);
  });
});
