import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { freePort } from '@pyrometer/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import { listensOn, portInUse } from './stack-ports.mjs';

const onLinux = process.platform === 'linux';

describe('stack port checks', () => {
  it('portInUse tells a held port from a free one', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => void server.close());
    const held = (server.address() as { port: number }).port;
    expect(await portInUse(held)).toBe(true);
    expect(await portInUse(await freePort())).toBe(false);
  });

  it.runIf(onLinux)('listensOn says whose listening socket a port is, following child processes', async () => {
    const port = await freePort();
    // A shell whose node child listens (the listener is the shell's descendant), and a bystander.
    const shell = spawn('sh', ['-c', `${process.execPath} -e "require('node:net').createServer().listen(${port}, '127.0.0.1', () => console.log('up'))"; true`], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    const bystander = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    onTestFinished(() => {
      process.kill(-shell.pid!, 'SIGKILL');
      bystander.kill('SIGKILL');
    });
    await new Promise((resolve) => shell.stdout.once('data', resolve));
    expect(listensOn(shell.pid!, port)).toBe(true);
    expect(listensOn(bystander.pid!, port)).toBe(false);
    expect(listensOn(shell.pid!, await freePort())).toBe(false);
  });
});
