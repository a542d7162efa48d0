import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '@pyrometer/telemetry';
import { tempDir } from '@pyrometer/testkit';
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
