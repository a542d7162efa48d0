import { join } from 'node:path';
import { freePort, repoRoot, startProcess, tempDir, type RunningProcess } from '@pyrometer/testkit';
import { portVariable } from '../../scripts/stack-env.mjs';
import { localServices } from '../../scripts/stack-services.mjs';

const root = repoRoot();

/** How long scripts/stack.mjs may take to stop its services: each gets SIGTERM, then SIGKILL after 10 s. */
const STOP_TIMEOUT_MS = 10_000 * localServices(root).length + 5_000;

/** The local stack of `npm start`, running (see {@link startLocalStack}). */
export interface LocalStack {
  /** Base URL of each service by name (`server`, `alertmanager`, `webhook-receiver`, `flink-simulator`, …). */
  readonly urls: Readonly<Record<string, string>>;
  /** Everything the stack printed so far (every service's lines, prefixed with its name). */
  output(): string;
  /** The last lines of the output without node_exporter's, for failure messages. */
  tail(lines?: number): string;
  /**
   * Stops the stack as Ctrl-C does and waits for it; then kills the process group of every
   * service it reported starting, so a stack stopped mid-shutdown leaves nothing running.
   */
  stop(): Promise<void>;
}

/**
 * Starts the stack exactly as `npm start` does after its build — `node scripts/stack.mjs` from the
 * repository root — on free loopback ports, with its own data folder and the given PYROMETER_*
 * variables, and resolves once the last service (the simulator) answers.
 */
export async function startLocalStack(env: Record<string, string>): Promise<LocalStack> {
  const ports: Record<string, string> = {};
  for (const s of localServices(root)) ports[s.name] = String(await freePort());
  const portVars = Object.fromEntries(Object.entries(ports).map(([name, port]) => [portVariable(name), port]));
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PYROMETER_')));
  let running: RunningProcess;
  /** Kills the process group of every service `output` reports started (each runs in its own). */
  const killServices = (output: string): void => {
    for (const m of output.matchAll(/started \(pid (\d+)\)/g)) {
      try {
        process.kill(-Number(m[1]), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  try {
    running = await startProcess(process.execPath, [join(root, 'scripts', 'stack.mjs')], {
      env: { ...base, PYROMETER_DATA_DIR: tempDir(), ...portVars, ...env },
      readyUrl: `http://127.0.0.1:${ports['flink-simulator']}/status`,
      readyTimeoutMs: 120_000,
      stopTimeoutMs: STOP_TIMEOUT_MS,
    });
  } catch (err) {
    // startProcess stopped the stack runner; its message holds the output naming the services.
    killServices((err as Error).message);
    throw err;
  }
  const stack = running;
  return {
    urls: Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, `http://127.0.0.1:${port}`])),
    output: () => stack.output(),
    tail: (lines = 40) => stack.output().split('\n').filter((l) => !l.startsWith('[node_exporter]')).slice(-lines).join('\n'),
    stop: async () => {
      await stack.stop();
      killServices(stack.output());
    },
  };
}
