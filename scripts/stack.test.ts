import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { freePort, peer, repoRoot, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { runScript, stackRoot } from './stack-harness.js';
import { portVariable, stackVariables } from './stack-env.mjs';
import { localServices, serverLaunchEnv } from './stack-services.mjs';

// `node scripts/stack.mjs` (what `npm start` runs after its build), run from a throwaway copy of
// the repository on free ports with its own data folder; every run is bounded and killed.

const repo = repoRoot();
const built = ['server', 'pushgateway', 'flink-simulator'].every((app) => existsSync(join(repo, 'apps', app, 'dist', 'main.js')));
if (!built && process.env['CI'] === 'true') throw new Error('the apps are not built: run the build before the stack tests');
const nodeExporter = peer('prometheus-node-exporter', 'prometheus-node-exporter');
const services = localServices(repo);

/** Free ports for every service, as PYROMETER_<SERVICE>_PORT variables. */
async function portEnv(): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const s of services) env[portVariable(s.name)] = String(await freePort());
  return env;
}

const urlLines = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('[stack]') && l.includes('http://'));

describe.runIf(built)(`npm start's stack runner${built ? '' : ' — skipped: apps not built'}`, () => {
  it('starts every service, prints the URLs once all answer, and stops the simulator before the Pushgateway', async () => {
    const ports = await portEnv();
    const data = tempDir();
    const run = runScript(stackRoot(), 'stack.mjs', { ...ports, PYROMETER_DATA_DIR: data, PYROMETER_INTERVAL: '1s' });
    await run.waitFor('press Ctrl-C to stop', 90_000);
    expect(urlLines(run.stdout()).length).toBe(services.filter((s) => existsSync(s.entry)).length);
    const pushgateway = `http://127.0.0.1:${ports['PYROMETER_PUSHGATEWAY_PORT']}`;
    await expect.poll(async () => (await (await fetch(`${pushgateway}/metrics`)).text()).includes('flink_jobmanager_numRunningJobs'), { timeout: 20_000 }).toBe(true);
    if (nodeExporter.path !== undefined) {
      const metrics = await (await fetch(`http://127.0.0.1:${ports['PYROMETER_NODE_EXPORTER_PORT']}/metrics`)).text();
      expect(metrics).toContain('node_scrape_collector_success{collector="cpu"} 1');
      expect(metrics).not.toContain('collector="systemd"');
    }
    const serverPid = /\[stack\] server: started \(pid (\d+)\)/.exec(run.stdout())?.[1];
    const serverEnv = readFileSync(`/proc/${serverPid}/environ`, 'utf8').split('\0');
    for (const [name, value] of Object.entries(serverLaunchEnv(repo))) expect(serverEnv, 'the server runs with its launch environment').toContain(`${name}=${value}`);
    run.signal('SIGTERM');
    expect(await run.exited).toBe(0);
    // The simulator's DELETEs reached the Pushgateway before it stopped and wrote its state.
    const persisted = readFileSync(join(data, 'pushgateway', 'groups.json'), 'utf8');
    expect(persisted).not.toContain('flink_');
    const stopped = [...run.stdout().matchAll(/^\[stack\] stopping (\S+)$/gm)].map((m) => m[1]);
    expect(stopped).toEqual(services.filter((s) => existsSync(s.entry)).map((s) => s.name).reverse());
  }, 150_000);

  it('refuses a port another program holds, in one line naming the variable, and starts nothing', async () => {
    const ports = await portEnv();
    const squatter: Server = createServer((_req, res) => res.end('ok'));
    const port = Number(ports['PYROMETER_PUSHGATEWAY_PORT']);
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const run = runScript(stackRoot(), 'stack.mjs', { ...ports, PYROMETER_DATA_DIR: tempDir() });
      expect(await run.exited).toBe(1);
      expect(run.stderr().trim().split('\n')).toEqual([`[stack] error: port ${port} for pushgateway is in use by another program; stop it or set PYROMETER_PUSHGATEWAY_PORT to a free port`]);
      expect(run.stdout()).not.toContain('started');
      expect(urlLines(run.output())).toEqual([]);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  }, 30_000);

  it('names deploy/local/prometheus.yml in a config error, stops the stack and prints no URL', async () => {
    const root = stackRoot('global:\n  scrape_interval: 10s\nscrape_configs:\n  - job_name: pyrometer\n    static_configs:\n      - targets: [\'127.0.0.1:9090\']\n    bogus: 1\n');
    const data = tempDir();
    const run = runScript(root, 'stack.mjs', { ...(await portEnv()), PYROMETER_DATA_DIR: data });
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toContain(`[server] pyrometer-server: error: ${join(root, 'deploy', 'local', 'prometheus.yml')}:7:5: field bogus not found`);
    expect(run.output()).not.toContain(join(data, 'server', 'prometheus.yml'));
    expect(run.stderr()).toContain('[stack] error: server exited (exit code 1); stopping the stack');
    expect(urlLines(run.output())).toEqual([]);
  }, 60_000);

  it('says in one line that the data folder cannot be written', async () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    const run = runScript(stackRoot(), 'stack.mjs', { ...(await portEnv()), PYROMETER_DATA_DIR: join(file, 'data') });
    expect(await run.exited).toBe(1);
    const lines = run.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^\\[stack\\] error: cannot write the data folder ${join(file, 'data')} \\(ENOTDIR: .*\\); set PYROMETER_DATA_DIR to a folder you can write$`));
  }, 30_000);
});

describe('npm start environment', () => {
  it('warns about an unknown PYROMETER_* variable and refuses a bad port and speedup before starting anything', async () => {
    const run = runScript(stackRoot(), 'stack.mjs', { PYROMETER_SERVR_PORT: '19090', PYROMETER_SERVER_PORT: 'ninety', PYROMETER_ALERT_SPEEDUP: '0.5', PYROMETER_BENCH_OUT: '/dev/null' });
    expect(await run.exited).toBe(2);
    const lines = run.stderr().trim().split('\n');
    expect(lines[0]).toMatch(/^\[stack\] warning: PYROMETER_SERVR_PORT is not a variable npm start reads; it reads PYROMETER_DATA_DIR, PYROMETER_INTERVAL, PYROMETER_ALERT_SPEEDUP, PYROMETER_PUSHGATEWAY_PORT, /);
    expect(lines.slice(1)).toEqual(['[stack] error: PYROMETER_SERVER_PORT="ninety" is not a port number (1-65535)', '[stack] error: PYROMETER_ALERT_SPEEDUP="0.5" is not a whole number from 1 to 1000']);
    expect(run.stdout()).toBe('');
  });

  it("keeps the caller's NODE_OPTIONS after the server's launch flags, so the caller's win", () => {
    const launch = JSON.parse(readFileSync(join(repo, 'apps', 'server', 'launch-env.json'), 'utf8')) as Record<string, string>;
    expect(serverLaunchEnv(repo, {})['NODE_OPTIONS']).toBe(launch['NODE_OPTIONS']);
    expect(serverLaunchEnv(repo, { NODE_OPTIONS: '--max-semi-space-size=8' })['NODE_OPTIONS']).toBe(`${launch['NODE_OPTIONS']} --max-semi-space-size=8`);
  });

  it('README.md documents every variable npm start reads', () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    expect(stackVariables(services).filter((v) => !readme.includes(`\`${v.name}\``)).map((v) => v.name)).toEqual([]);
  });
});
