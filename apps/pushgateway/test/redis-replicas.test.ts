import { freePort, peer, startProcess, tempDir } from '@pyrometer/testkit';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { pushedLines, send, startOurs } from './helpers.js';

const redisServer = peer('redis-server', 'redis-server');

/** Resolves once redis-server answers PING on `port` (raw RESP, no client library needed). */
async function redisReady(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const pong = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
      socket.once('data', (d) => (socket.destroy(), resolve(d.toString().startsWith('+PONG'))));
      socket.once('error', () => resolve(false));
    });
    if (pong) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(redisServer.path === undefined)(`replicas sharing Redis (--store.redis-url) ${redisServer.missingReason ?? ''}`, () => {
  it('serve the same groups, check against each other, and lose nothing when one is replaced', async () => {
    const port = await freePort();
    await startProcess(redisServer.path!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tempDir()], { stopWithTest: true });
    await redisReady(port);
    const redisUrl = `redis://127.0.0.1:${port}`;
    const a = await startOurs({ redisUrl }, { stopWithTest: false });
    const b = await startOurs({ redisUrl });
    expect((await send(`${a.url}/metrics/job/flinkJobA/tm/1`, 'PUT', '# TYPE load gauge\nload 0.5\n')).status).toBe(200);
    expect(pushedLines((await send(`${b.url}/metrics`, 'GET')).text)).toContain('load{instance="",job="flinkJobA",tm="1"} 0.5');
    const conflict = await send(`${b.url}/metrics/job/other`, 'PUT', '# TYPE load counter\nload 1\n');
    expect(conflict.status).toBe(400);
    await a.close(); // a replica goes away …
    const c = await startOurs({ redisUrl }); // … and a new one comes up with every group
    expect(pushedLines((await send(`${c.url}/metrics`, 'GET')).text)).toContain('load{instance="",job="flinkJobA",tm="1"} 0.5');
    expect((await send(`${c.url}/metrics/job/flinkJobA/tm/1`, 'DELETE')).status).toBe(202);
    expect(pushedLines((await send(`${b.url}/metrics`, 'GET')).text).filter((l) => l.startsWith('load{'))).toEqual([]);
  });
});
