import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, repoRoot, startProcess, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { api, eventually, startTarget } from './harness.js';

// The built binary exactly as users run it: `node apps/server/dist/main.js <flags>`, with its
// signal handling (SIGHUP reloads, SIGTERM shuts down gracefully) and exit codes.

const main = join(repoRoot(), 'apps/server/dist/main.js');
const built = existsSync(main);
// `npm test` builds before it tests; run alone without a build, there is no binary to start.
if (!built && process.env['CI'] === 'true') throw new Error(`${main} is missing: run the build before the binary test`);

const waitForExit = (child: { exitCode: number | null; once(event: 'exit', cb: () => void): unknown }) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', () => resolve(child.exitCode))));

describe.runIf(built)(`the server binary${built ? '' : ' — skipped: apps/server is not built'}`, () => {
  it('prints --version and --help, and exits 2 naming a bad flag', () => {
    const version = spawnSync(process.execPath, [main, '--version'], { encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^pyrometer-server, version \S+ \(branch: /);
    const help = spawnSync(process.execPath, [main, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--storage.tsdb.retention.time');
    const bad = spawnSync(process.execPath, [main, '--no-such-flag'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^pyrometer-server: error: .*no-such-flag/);
  });

  it('reloads on SIGHUP, keeps the old config when the new one is bad, and exits 0 on SIGTERM', async () => {
    const dir = tempDir();
    const target = await startTarget(() => 'demo_up 1\n');
    const configFile = join(dir, 'prometheus.yml');
    const config = (job: string) => `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: ${job}\n    static_configs:\n      - targets: ['${target.address}']\n`;
    writeFileSync(configFile, config('first'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = await startProcess(process.execPath, [main, `--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], {
      readyUrl: `${base}/-/ready`,
      stopWithTest: true,
    });
    try {
      const pools = async () => (await api<{ data: { scrapePools: string[] } }>(base, '/api/v1/scrape_pools')).data.scrapePools;
      expect(await pools()).toEqual(['first']);

      writeFileSync(configFile, config('second'));
      server.child.kill('SIGHUP');
      await eventually(async () => ((await pools()).includes('second') ? true : undefined), 10_000, 'SIGHUP to load the new job');

      writeFileSync(configFile, 'scrape_configs: [oops\n');
      server.child.kill('SIGHUP');
      await eventually(async () => (/Error reloading config/i.test(server.output()) ? true : undefined), 10_000, 'the failed reload to be logged');
      expect(await pools()).toEqual(['second']);
      const runtime = await api<{ data: { reloadConfigSuccess: boolean } }>(base, '/api/v1/status/runtimeinfo');
      expect(runtime.data.reloadConfigSuccess).toBe(false);

      server.child.kill('SIGTERM');
      expect(await waitForExit(server.child)).toBe(0);
      expect(server.output()).toContain('exiting gracefully');
    } finally {
      target.server.close();
    }
  }, 60_000);

  it('reloads rule files on SIGHUP and keeps the old rules when the new file is bad', async () => {
    const dir = tempDir();
    const configFile = join(dir, 'prometheus.yml');
    writeFileSync(configFile, 'global:\n  evaluation_interval: 1s\nrule_files: [rules.yml]\nscrape_configs: []\n');
    const rules = (name: string) => `groups:\n  - name: ${name}\n    rules:\n      - record: one\n        expr: vector(1)\n`;
    writeFileSync(join(dir, 'rules.yml'), rules('first'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = await startProcess(process.execPath, [main, `--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { readyUrl: `${base}/-/ready`, stopWithTest: true });
    const groups = async () => (await api<{ data: { groups: { name: string }[] } }>(base, '/api/v1/rules')).data.groups.map((g) => g.name);
    expect(await groups()).toEqual(['first']);
    writeFileSync(join(dir, 'rules.yml'), rules('second'));
    server.child.kill('SIGHUP');
    await eventually(async () => ((await groups()).includes('second') ? true : undefined), 10_000, 'SIGHUP to load the new rule group');
    writeFileSync(join(dir, 'rules.yml'), 'groups:\n  - name: third\n    rules:\n      - record: "bad{"\n        expr: vector(1)\n');
    server.child.kill('SIGHUP');
    await eventually(async () => (/braces present in the recording rule name/.test(server.output()) ? true : undefined), 10_000, 'the rejected rule file to be logged');
    expect(await groups()).toEqual(['second']);
    server.child.kill('SIGTERM');
    expect(await waitForExit(server.child)).toBe(0);
  }, 60_000);
});
