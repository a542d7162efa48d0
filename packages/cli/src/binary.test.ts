import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { fatalErrorLine, versionText } from './binary.js';
import { FlagError } from './flags.js';

/** The error Node gives when listening on a port another socket holds. */
async function addressInUseError(): Promise<unknown> {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const port = (holder.address() as { port: number }).port;
  const second = createServer();
  const err = await new Promise((resolve) => {
    second.once('error', resolve);
    second.listen(port, '127.0.0.1');
  });
  await new Promise((resolve) => holder.close(resolve));
  return Object.assign(err as object, { expectedPort: port });
}

describe('fatalErrorLine', () => {
  it('names the address and the flag when the port is in use', async () => {
    const err = (await addressInUseError()) as { expectedPort: number };
    expect(fatalErrorLine('pyrometer-x', err, '--web.listen-address')).toBe(
      `pyrometer-x: error: cannot listen on 127.0.0.1:${err.expectedPort}: address already in use (another program holds the port); choose another address with --web.listen-address`,
    );
  });

  it.each([
    { name: 'a flag mistake, as kingpin', err: new FlagError("unknown long flag '--x'"), line: "p: error: unknown long flag '--x', try --help" },
    { name: 'any other error, by its message only', err: new Error('config.yml:3:1: bad'), line: 'p: error: config.yml:3:1: bad' },
    { name: 'a thrown non-error', err: 'boom', line: 'p: error: boom' },
  ])('prints $name', ({ err, line }) => {
    expect(fatalErrorLine('p', err, '--web.listen-address')).toBe(line);
  });
});

describe('versionText', () => {
  it("follows upstream's layout", () => {
    expect(versionText({ program: 'p', version: '1.2.3', branch: 'main', revision: 'abc' })).toBe(
      `p, version 1.2.3 (branch: main, revision: abc)\n  build user:       \n  build date:       \n  go version:       node${process.versions.node}\n  platform:         ${process.platform}/${process.arch}\n`,
    );
  });
});
