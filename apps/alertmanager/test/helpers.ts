import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '@pyrometer/telemetry';
import { freePort, repoRoot, startProcess, tempDir, type RunningProcess } from '@pyrometer/testkit';
import { startAlertmanager, type RunningAlertmanager, type StartOptions } from '../src/app.js';
import { parseFlags } from '../src/flags.js';

/** Test helper: our Alertmanager in this process on a free loopback port, with its own data folder. */
export async function startTestAlertmanager(configYaml: string, args: string[] = [], options: StartOptions = {}, dir = tempDir()): Promise<RunningAlertmanager & { dir: string; configFile: string }> {
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, configYaml);
  const flags = parseFlags([`--config.file=${configFile}`, `--storage.path=${join(dir, 'data')}`, '--web.listen-address=127.0.0.1:0', '--cluster.listen-address=', ...args]);
  const running = await startAlertmanager(flags, { logger: silentLogger(), ...options });
  return Object.assign(running, { dir, configFile });
}

/** An HTTP answer: status, headers and body text. */
export interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, body: await res.text() };
}

export const postJson = (url: string, body: unknown) => call(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

/**
 * Test helper: our Alertmanager as its own process (from the sources, through tsx), so a test
 * can kill it with SIGKILL; listens on a free loopback port with its own data folder.
 */
export async function startAlertmanagerProcess(configFile: string, args: string[]): Promise<RunningProcess & { url: string; pid: number }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dir = tempDir();
  const proc = await startProcess(process.execPath, ['--conditions=source', '--import', 'tsx', join(repoRoot(), 'apps/alertmanager/src/main.ts'), `--config.file=${configFile}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', ...args], { cwd: repoRoot(), readyUrl: `${url}/-/ready`, readyTimeoutMs: 60_000, stopWithTest: true });
  return Object.assign(proc, { url, pid: proc.child.pid! });
}
