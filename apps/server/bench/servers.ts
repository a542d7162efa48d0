import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@pyrometer/testkit/bench';

/** One server under test: how to start it on a port with a config file and a data directory. */
export interface ServerUnderTest {
  name: string;
  /** `extra` are further flags both servers know (e.g. `--web.enable-remote-write-receiver`). */
  start(port: number, config: string, data: string, extra: readonly string[]): ChildProcess;
}

const PROMETHEUS = '/usr/bin/prometheus';

/**
 * Our server as users run it: the build output (`pnpm bench` builds first), so no TypeScript loader
 * is measured with it. `PYROMETER_BENCH_SERVER_MAIN` points at another build (an alternative design
 * or an older commit) and `PYROMETER_BENCH_SERVER_ARGS` adds flags, to measure alternatives with
 * the same bench. `PYROMETER_BENCH_SERVER_NODE_ARGS` adds Node.js/V8 flags (e.g. `--trace-deopt`,
 * process-wide: the query workers too) and `PYROMETER_BENCH_SERVER_OUT` names a file that gets the
 * server's stdout and stderr (discarded otherwise).
 */
export function ourServer(): ServerUnderTest {
  const main = process.env['PYROMETER_BENCH_SERVER_MAIN'] ?? join(import.meta.dirname, '../dist/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (pnpm run build)`);
  const extra = words(process.env['PYROMETER_BENCH_SERVER_ARGS']);
  const nodeArgs = words(process.env['PYROMETER_BENCH_SERVER_NODE_ARGS']);
  const outPath = process.env['PYROMETER_BENCH_SERVER_OUT'];
  const out = outPath === undefined ? 'ignore' : openSync(outPath, 'a');
  // Started with the environment every start path sets (npm start, the Docker image): launch-env.json.
  const launchEnv = JSON.parse(readFileSync(join(import.meta.dirname, '../launch-env.json'), 'utf8')) as Record<string, string>;
  return { name: 'pyrometer', start: (port, config, data, more) => spawn(process.execPath, [...nodeArgs, main, ...commonArgs(port, config, data), ...more, '--log.level=warn', ...extra], { env: { ...process.env, ...launchEnv }, stdio: ['ignore', out, out] }) };
}

const words = (text: string | undefined): string[] => (text ?? '').split(' ').filter(Boolean);

/**
 * Debian's Prometheus, or undefined (with the reason printed) when it is not installed or
 * `PYROMETER_BENCH_BASELINE=off` (measuring alternatives of ours only).
 */
export function prometheusBaseline(): ServerUnderTest | undefined {
  if (process.env['PYROMETER_BENCH_BASELINE'] === 'off') {
    console.log('baseline skipped: PYROMETER_BENCH_BASELINE=off');
    return undefined;
  }
  if (!existsSync(PROMETHEUS)) {
    console.log(`baseline skipped: ${PROMETHEUS} is not installed (apt-get install prometheus)`);
    return undefined;
  }
  return { name: 'prometheus', start: (port, config, data, more) => spawn(PROMETHEUS, [...commonArgs(port, config, data), ...more], { stdio: 'ignore' }) };
}

function commonArgs(port: number, config: string, data: string): string[] {
  return [`--config.file=${config}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`];
}

/** Starts `server` on a free port (with `extra` flags); returns the process and its base URL. */
export async function launch(server: ServerUnderTest, config: string, data: string, extra: readonly string[] = []): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  return { child: server.start(port, config, data, extra), base: `http://127.0.0.1:${port}` };
}
