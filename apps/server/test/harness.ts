import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseFlags } from '@pyrometer/cli';
import { flagsAsText, SERVER_FLAGS, serverOptions } from '../src/flags.js';
import { PyrometerServer } from '../src/server.js';

export { eventually } from '@pyrometer/testkit';

/** Starts a real server (real TSDB under `dir`) with the given prometheus.yml text and extra flags. */
export async function startServer(dir: string, configYaml: string, extraFlags: string[] = []): Promise<PyrometerServer> {
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, configYaml);
  const flags = parseFlags(SERVER_FLAGS, [`--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, '--web.listen-address=127.0.0.1:0', '--log.level=warn', ...extraFlags]);
  return PyrometerServer.start(serverOptions(flags), flagsAsText(flags));
}

/** A /metrics target on 127.0.0.1:0 serving whatever `body()` returns in text format 0.0.4. */
export async function startTarget(body: () => string): Promise<{ server: Server; address: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(body());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, address: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** GET a JSON API path and return its parsed body. */
export async function api<T = { status: string; data: unknown }>(base: string, path: string): Promise<T> {
  const res = await fetch(base + path);
  return (await res.json()) as T;
}

/** A raw GET (fetch would normalise `//` and `%ZZ` away): status, Location and body. */
export function rawGet(port: number, target: string): Promise<{ status: number; location: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect({ port, host: '127.0.0.1' }, () => socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0), location: /\r\nLocation: (.*)/.exec(head)?.[1], body });
    });
  });
}
