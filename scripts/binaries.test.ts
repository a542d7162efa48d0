import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { repoRoot, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';

// Every binary the apps ship (package.json "bin"), run as users run it after the build: it prints
// --help and --version, and a port another program holds is one clear line, never a stack trace.
// promtool listens on nothing: its --help names its commands, and a bad flag is one line, exit 2.

const root = repoRoot();

/** How to make each binary listen on a given port: its listen flag and the other flags it needs (null: it does not listen). */
const LISTEN: Record<string, { flag: string; args: (dir: string) => string[] } | null> = {
  'pyrometer-server': { flag: '--web.listen-address', args: (dir) => [`--config.file=${join(root, 'deploy', 'local', 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`] },
  'pyrometer-pushgateway': { flag: '--web.listen-address', args: (dir) => [`--persistence.file=${join(dir, 'groups.json')}`] },
  'pyrometer-alertmanager': { flag: '--web.listen-address', args: (dir) => [`--config.file=${join(root, 'deploy', 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, '--cluster.listen-address='] },
  'pyrometer-flink-simulator': { flag: '--control.listen-address', args: () => ['--hostUrl=http://127.0.0.1:9', '--reports=1'] },
  'pyrometer-webhook-receiver': { flag: '--web.listen-address', args: () => [] },
  'pyrometer-promtool': null,
};

const binaries = readdirSync(join(root, 'apps')).flatMap((app) => {
  const pkg = JSON.parse(readFileSync(join(root, 'apps', app, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
  return Object.entries(pkg.bin ?? {}).map(([name, file]) => ({ name, main: join(root, 'apps', app, file) }));
});
const listening = binaries.filter((b) => LISTEN[b.name] !== null);
const built = binaries.every((b) => existsSync(b.main));
if (!built && process.env['CI'] === 'true') throw new Error('the apps are not built: run the build before the binary tests');

describe.runIf(built)(`every binary${built ? '' : ' — skipped: apps not built'}`, () => {
  it('has a row in this test', () => {
    expect(binaries.map((b) => b.name).filter((name) => !(name in LISTEN))).toEqual([]);
  });

  it.each(binaries)('$name prints --help naming its listen flag (promtool: its commands)', ({ name, main }) => {
    const run = spawnSync(process.execPath, [main, '--help'], { encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(LISTEN[name]?.flag ?? 'test rules');
  });

  it('pyrometer-promtool runs its commands and says a bad flag in one line, exit 2', () => {
    const main = binaries.find((b) => b.name === 'pyrometer-promtool')!.main;
    const rules = spawnSync(process.execPath, [main, 'check', 'rules', join(root, 'deploy', 'rules', 'flink.rules.yml')], { encoding: 'utf8', timeout: 20_000 });
    expect(rules.status).toBe(0);
    expect(rules.stdout).toMatch(/SUCCESS: \d+ rules found/);
    const tests = spawnSync(process.execPath, [main, 'test', 'rules', join(root, 'deploy', 'rules', 'flink.test.yml')], { encoding: 'utf8', timeout: 60_000 });
    expect(tests.stdout).toBe('  SUCCESS\n\n');
    expect(tests.status).toBe(0);
    const bad = spawnSync(process.execPath, [main, 'test', 'rules', '--bogus'], { encoding: 'utf8', timeout: 20_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("pyrometer-promtool: error: unknown long flag '--bogus', try --help\n");
  });

  it.each(binaries)('$name prints --version', ({ name, main }) => {
    const run = spawnSync(process.execPath, [main, '--version'], { encoding: 'utf8', timeout: 20_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^${name}, version \\S+ \\(branch: .*\\)\\n  build user: .*\\n  build date: .*\\n  go version: +node\\d+\\.\\d+\\.\\d+\\n  platform: +\\w+/\\w+\\n$`));
  });

  it.each(listening)('$name says in one line that its port is in use', async ({ name, main }) => {
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    try {
      const port = (squatter.address() as { port: number }).port;
      const listen = LISTEN[name]!;
      const child = spawn(process.execPath, [main, `${listen.flag}=127.0.0.1:${port}`, ...listen.args(tempDir())], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await new Promise((resolve) => child.once('exit', resolve));
      clearTimeout(timer);
      expect(code).toBe(1);
      // Startup log lines may come first (as upstream's do); the failure is the last line, alone.
      const lines = stderr.trimEnd().split('\n');
      expect(lines.at(-1)).toBe(`${name}: error: cannot listen on 127.0.0.1:${port}: address already in use (another program holds the port); choose another address with ${listen.flag}`);
      expect(lines.filter((l) => /^\s+at /.test(l) || /EADDRINUSE/.test(l))).toEqual([]);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
