import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fuzzHttp, type FuzzRoute } from './fuzz-http.js';

const ROUTES: FuzzRoute[] = [
  { methods: ['GET'], path: '/items/:id' },
  { methods: ['POST', 'PUT'], path: '/upload' },
  { methods: ['GET'], path: '/health' },
];

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

/**
 * Starts an app on a loopback port that answers what node:http would answer without a message
 * (malformed requests, CONNECT, unknown Expect, no Host) with one, as our apps' servers do.
 */
async function start(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer({ maxHeaderSize: 2 ** 20, requireHostHeader: false }, (req, res) => {
    if (req.headers.host === undefined) return answer(res, 400, 'missing Host\n');
    listener(req, res);
  });
  const refuse = (status: string) => (socket: Socket) => {
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${status}\n`);
    else socket.destroy();
  };
  server.on('clientError', (_err, socket: Socket) => refuse('400 Bad Request')(socket));
  server.on('connect', (_req, socket: Socket) => refuse('405 Method Not Allowed')(socket));
  server.on('checkExpectation', (_req, res: ServerResponse) => answer(res, 417, 'unknown expectation\n'));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function answer(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain' });
  res.end(text);
}

describe('fuzzHttp', () => {
  it('finds nothing wrong with an app that answers everything with a clear status below 500', async () => {
    const url = await start((req, res) => {
      req.resume();
      req.on('error', () => undefined);
      if (req.url === '/health') return answer(res, 200, 'ok');
      answer(res, 404, 'not found\n');
    });
    const report = await fuzzHttp({ baseUrl: url, routes: ROUTES, healthPath: '/health', randomCasesPerRoute: 2 });
    expect(report.findings).toEqual([]);
    expect(report.notRun).toBe(0);
    expect(report.ran).toBeGreaterThan(100);
  }, 120_000);

  it('reports 5xx answers, answers without a message, missing answers and an app that goes down', async () => {
    const url = await start((req, res) => {
      req.resume();
      req.on('error', () => undefined);
      if (req.url === '/health') return answer(res, 200, 'ok');
      if (req.url === '/items/%ZZ') return answer(res, 500, 'boom');
      if (req.url === '/items/%00') return answer(res, 400, '');
      if (req.method === 'PUT' && req.headers['content-encoding'] === 'gzip') return req.socket.destroy();
      if (req.method === 'PUT' && req.headers['content-type'] === ';;;=;') {
        server!.close();
        server!.closeAllConnections();
        return;
      }
      answer(res, 404, 'not found\n');
    });
    const report = await fuzzHttp({
      baseUrl: url,
      routes: ROUTES,
      healthPath: '/health',
      randomCasesPerRoute: 0,
      allow5xx: [{ route: '/items/:id', method: 'GET', status: 599, reason: 'a status this app never answers: the allowance must not hide the 500' }],
    });
    const problems = report.findings.map((f) => `${f.case} ${f.method} ${f.target}: ${f.problem.replace(/\(health: .*\)/, '')}`);
    expect(problems).toEqual([
      'path: parameter invalid escape GET /items/%ZZ: answered 500: "boom"',
      'path: parameter NUL GET /items/%00: answered 400 without a message',
      expect.stringMatching(/^body: gzip bomb of 1 GiB PUT \/upload: no answer/),
      expect.stringMatching(/^body: gzip cut short PUT \/upload: no answer/),
      'body: garbage Content-Type PUT /upload: no answer (closed the connection without an answer)',
      'body: garbage Content-Type PUT /upload: the app is down or unhealthy after this case ',
    ]);
    expect(report.notRun).toBeGreaterThan(0);
  }, 120_000);

  it('accepts a documented 5xx only where the allow-list names route, method and status', async () => {
    const url = await start((req, res) => {
      req.resume();
      if (req.url === '/health') return answer(res, 200, 'ok');
      answer(res, req.url?.startsWith('/items/') ? 500 : 404, 'unavailable\n');
    });
    const report = await fuzzHttp({
      baseUrl: url,
      routes: [ROUTES[0]!, ROUTES[2]!],
      healthPath: '/health',
      randomCasesPerRoute: 0,
      allow5xx: [{ route: '/items/:id', method: 'GET', status: 500, reason: 'upstream answers 500 unavailable for this route when it is disabled' }],
    });
    // GET is allowed; every other method reaching the route still counts.
    expect(report.findings.filter((f) => f.method === 'GET')).toEqual([]);
    expect(report.findings.some((f) => f.method === 'HEAD' && f.problem.startsWith('answered 500'))).toBe(true);
  }, 120_000);
});
