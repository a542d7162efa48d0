import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, peer, repoRoot, startProcess, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { rawGet as raw } from './harness.js';

// Issue 15's crashes and status codes against the built binary, beside Debian's Prometheus where
// it is installed: both must answer the same (the upstream behaviour is the spec), snapshot names
// included.

const main = join(repoRoot(), 'apps/server/dist/main.js');
const built = existsSync(main);
if (!built && process.env['CI'] === 'true') throw new Error(`${main} is missing: run the build before the binary test`);
const prometheus = peer('prometheus', 'prometheus');

const names = Array.from({ length: 50_000 }, (_, i) => `metric_${i}`).join('|');
const CASES = [
  { name: 'GET //', target: '//', want: { status: 301, location: '/' } },
  { name: 'GET // before a route', target: '//api/v1/query?query=up', want: { status: 301, location: '/api/v1/query?query=up' } },
  { name: 'a malformed escape in the path', target: '/api/v1/label/%ZZ/values', want: { status: 400, location: undefined } },
  { name: 'a 600 KB request target', target: `/api/v1/series?match[]=${encodeURIComponent(`{__name__=~"${names}"}`)}`, want: { status: 200, location: undefined } },
  { name: 'invalid UTF-8 in a query', target: '/api/v1/query?query=up%7Bjob%3D%22%FF%22%7D', want: { status: 400, location: undefined } },
];

async function startBinary(command: string, args: string[]): Promise<{ port: number; stop: () => Promise<void>; alive: () => boolean }> {
  const port = await freePort();
  const proc = await startProcess(command, [...args, `--web.listen-address=127.0.0.1:${port}`], { readyUrl: `http://127.0.0.1:${port}/-/ready`, stopWithTest: true });
  return { port, stop: () => proc.stop(), alive: () => proc.child.exitCode === null && proc.child.signalCode === null };
}

function serverArgs(dir: string, binary: string): string[] {
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 15s\n');
  const args = [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`];
  return binary === main ? [main, ...args, '--web.enable-admin-api'] : [...args, '--web.enable-admin-api', '--storage.tsdb.use-lockfile'];
}

describe.runIf(built)(`the server binary and malformed requests${built ? '' : ' — skipped: apps/server is not built'}`, () => {
  it.each([
    { who: 'ours', command: process.execPath, binary: main, available: true },
    { who: "Debian's Prometheus", command: prometheus.path ?? '', binary: prometheus.path ?? '', available: prometheus.path !== undefined },
  ])('$who answers as upstream and keeps running', async ({ command, binary, available }) => {
    if (!available) return expect(prometheus.missingReason).toBeDefined();
    const server = await startBinary(command, serverArgs(tempDir(), binary));
    for (const c of CASES) {
      const answer = await raw(server.port, c.target);
      expect({ status: answer.status, location: answer.location }, c.name).toEqual(c.want);
      expect(server.alive(), `still running after ${c.name}`).toBe(true);
    }
    expect((await raw(server.port, '/api/v1/query?query=up%7Bjob%3D%22%FF%22%7D')).body).toContain('parse error: invalid UTF-8 rune');
    const snapshot = await fetch(`http://127.0.0.1:${server.port}/api/v1/admin/tsdb/snapshot`, { method: 'POST' });
    expect(((await snapshot.json()) as { data: { name: string } }).data.name).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{16}$/);
  }, 60_000);

  it.each([
    { who: 'ours', command: process.execPath, binary: main, available: true },
    { who: "Debian's Prometheus (--storage.tsdb.use-lockfile: Debian turns the lock off by default)", command: prometheus.path ?? '', binary: prometheus.path ?? '', available: prometheus.path !== undefined },
  ])('$who refuses a second server on the same data directory with a clear message', async ({ command, binary, available }) => {
    if (!available) return expect(prometheus.missingReason).toBeDefined();
    const dir = tempDir();
    const first = await startBinary(command, serverArgs(dir, binary));
    const second = spawnSync(command, [...serverArgs(dir, binary), `--web.listen-address=127.0.0.1:${await freePort()}`], { encoding: 'utf8', timeout: 30_000 });
    expect(second.status).not.toBe(0);
    expect(second.stdout + second.stderr).toMatch(/opening storage failed: lock DB directory/);
    if (binary === main) expect(second.stderr.trimEnd().split('\n').at(-1)).toMatch(/^pyrometer-server: error: opening storage failed: lock DB directory: \S+\/lock is held by process \d+, which is still running /);
    expect(first.alive()).toBe(true);
  }, 60_000);
});
