import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { createLogger } from '@pyrometer/telemetry';
import { fuzzHttp } from '@pyrometer/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpServerOptions, type TargetListener } from './http-server.js';

let server: Server | undefined;
const logged: string[] = [];
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
  logged.length = 0;
});

async function start(listener: TargetListener, authorize?: HttpServerOptions['authorize']): Promise<number> {
  server = createHttpServer(listener, { logger: createLogger({ write: (line) => logged.push(line) }), ...(authorize === undefined ? {} : { authorize }) });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Sends raw bytes and returns everything the server wrote before closing. */
function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ port, host: '127.0.0.1' }, () => socket.end(request, 'latin1'));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
  });
}

const echo: TargetListener = (req, res, target) => {
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end(`${req.method} ${JSON.stringify(target.path)} ?${target.rawQuery}`);
};

describe('createHttpServer', () => {
  it('answers what node:http would answer silently or crash on, with Go-like statuses and a message', async () => {
    const port = await start(echo);
    const cases: [string, RegExp][] = [
      ['GET // HTTP/1.1\r\nHost: x\r\n\r\n', /^HTTP\/1\.1 301 [^]*Location: \/\r\n[^]*Moved Permanently/],
      ['GET /api/v1/label/%ZZ/values HTTP/1.1\r\nHost: x\r\n\r\n', /^HTTP\/1\.1 400 [^]*\r\n\r\nBad Request: invalid URL escape "%ZZ" in the path/],
      ['PUT /metrics/job/.. HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n', /^HTTP\/1\.1 301 [^]*Location: \/metrics\r\n/],
      [`GET /${'a'.repeat(2 ** 21)} HTTP/1.1\r\nHost: x\r\n\r\n`, /^HTTP\/1\.1 431 [^]*\r\n\r\n431 Request Header Fields Too Large: the request line and headers exceed 1052672 bytes/],
      ['GET / HTTP/1.1\r\n\r\n', /^HTTP\/1\.1 400 [^]*\r\n\r\nBad Request: missing required Host header/],
      ['GARBAGE\r\n\r\n', /^HTTP\/1\.1 400 [^]*\r\n\r\n400 Bad Request: malformed HTTP request/],
      ['CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', /^HTTP\/1\.1 405 [^]*CONNECT is not supported/],
      ['POST / HTTP/1.1\r\nHost: x\r\nExpect: fuzz\r\nContent-Length: 1\r\n\r\na', /^HTTP\/1\.1 417 [^]*unsupported Expect header "fuzz"/],
      ['OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n', /^HTTP\/1\.1 200 /],
      ['GET /x%FF?q=%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', /\r\nGET "\/x\\udcff" \?q=%ZZ\r\n/],
    ];
    for (const [request, want] of cases) expect(await raw(port, request)).toMatch(want);
  });

  it('authorizes before redirecting, as exporter-toolkit checks basic auth before the mux cleans paths, but after refusing malformed targets', async () => {
    const port = await start(echo, (req, res) => {
      if (req.headers.authorization === 'Basic ok') return true;
      res.writeHead(401, { 'Content-Type': 'text/plain' });
      res.end('Unauthorized\n');
      return false;
    });
    expect(await raw(port, 'GET // HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 401 /);
    expect(await raw(port, 'GET // HTTP/1.1\r\nHost: x\r\nAuthorization: Basic ok\r\n\r\n')).toMatch(/^HTTP\/1\.1 301 /);
    expect(await raw(port, 'GET /%ZZ HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('keeps an idle keep-alive connection open past the 5 s Node defaults to, as upstream does', async () => {
    const port = await start(echo);
    const socket = connect({ port, host: '127.0.0.1' });
    let received = '';
    let closed = false;
    socket.on('data', (c: Buffer) => (received += c.toString('latin1')));
    socket.on('end', () => (closed = true));
    const answered = async (count: number): Promise<void> => {
      while ((received.match(/HTTP\/1\.1 200 /g) ?? []).length < count) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    socket.write('GET /first HTTP/1.1\r\nHost: x\r\n\r\n');
    await answered(1);
    // Node closes an idle connection ~6 s after its last answer by default (5 s and a second of grace).
    await new Promise((resolve) => setTimeout(resolve, 7_500));
    expect(closed).toBe(false);
    socket.write('GET /second HTTP/1.1\r\nHost: x\r\n\r\n');
    await answered(2);
    expect(received).toContain('GET "/second"');
    socket.destroy();
  }, 20_000);

  it('accepts a 1 MB request target, as Go does (Node alone answers 431 above 16 KiB)', async () => {
    const port = await start(echo);
    const query = `query=${'x'.repeat(1_000_000)}`;
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?${query}`);
    expect(res.status).toBe(200);
    expect((await res.text()).length).toBe('GET "/api/v1/query" ?'.length + query.length);
  });

  it('turns a listener that throws or rejects into a logged 500 and keeps serving', async () => {
    const port = await start((req, res, target) => {
      if (target.path === '/throw') throw new Error('sync boom');
      if (target.path === '/reject') return Promise.reject(new Error('async boom'));
      return echo(req, res, target);
    });
    for (const path of ['/throw', '/reject']) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(res.status).toBe(500);
      expect(await res.text()).toMatch(/^internal error: (sync|async) boom\n$/);
    }
    expect(logged.join('')).toMatch(/request handler failed.*sync boom[^]*request handler failed.*async boom/);
    expect((await fetch(`http://127.0.0.1:${port}/ok`)).status).toBe(200);
  });

  it('survives the fuzzer with a clear answer below 500 for everything', async () => {
    const port = await start((req, res, target) => {
      req.resume();
      if (target.path === '/health' || target.path.startsWith('/items/')) return echo(req, res, target);
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('404 page not found\n');
    });
    const report = await fuzzHttp({ baseUrl: `http://127.0.0.1:${port}`, routes: [{ methods: ['GET'], path: '/items/:id' }, { methods: ['POST'], path: '/upload' }], healthPath: '/health' });
    expect(report.findings).toEqual([]);
    expect(report.notRun).toBe(0);
  }, 120_000);
});
