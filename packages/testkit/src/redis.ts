import { connect } from 'node:net';
import { onTestFinished } from 'vitest';
import { freePort } from './net.js';
import { startProcess, type RunningProcess } from './process.js';
import { tempDir } from './temp.js';

/** A redis-server a test started (see {@link startRedis}). */
export interface RunningRedis {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly process: RunningProcess;
}

/**
 * Starts `redisServer` (the path of Debian's redis-server, from `peer`) on a free loopback port,
 * in its own temporary folder and without persistence, and resolves once it answers PING. Started
 * in a test, it stops when the test finishes; started in a hook, the caller stops it (`process.stop()`).
 */
export async function startRedis(redisServer: string): Promise<RunningRedis> {
  const port = await freePort();
  const proc = await startProcess(redisServer, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tempDir()]);
  try {
    onTestFinished(() => proc.stop());
  } catch {
    // Outside a test (a beforeAll hook): the caller stops it.
  }
  const deadline = Date.now() + 10_000;
  while (!(await answersPing(port))) {
    if (Date.now() > deadline) {
      await proc.stop();
      throw new Error(`redis-server on port ${port} did not answer PING\n${proc.output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `redis://127.0.0.1:${port}`, process: proc };
}

/** Whether a Redis answers PING on the port (raw RESP, no client library). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}
