import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { onTestFinished } from 'vitest';
import { waitForHttp } from './net.js';

/**
 * An upstream binary used as an interop peer or benchmark baseline (Debian's prometheus, promtool,
 * pushgateway, alertmanager, node_exporter, redis-server, python3 with prometheus_client, …).
 */
export interface Peer {
  /** Absolute path of the binary, or undefined when it is not installed. */
  readonly path: string | undefined;
  /** Why the peer is unavailable (for `it.skipIf(...)` messages), or undefined when available. */
  readonly missingReason: string | undefined;
}

const SEARCH_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin'];

function findBinary(name: string): string | undefined {
  const dirs = [...SEARCH_DIRS, ...(process.env['PATH'] ?? '').split(delimiter)];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/**
 * Looks up an upstream peer binary. Under `CI=true` a missing peer throws (a missing interop peer
 * is a failure in CI); elsewhere it reports why, so the caller can skip with that reason.
 * `debianPackage` names the package `.ci/run` installs it from.
 */
export function peer(name: string, debianPackage: string): Peer {
  const path = findBinary(name);
  if (path !== undefined) return { path, missingReason: undefined };
  const reason = `${name} is not installed (apt-get install ${debianPackage}); .ci/run installs it`;
  if (process.env['CI'] === 'true') throw new Error(`interop peer missing under CI=true: ${reason}`);
  return { path: undefined, missingReason: reason };
}

/** Debian's own python3, which is where python3-prometheus-client is importable. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

export interface RunningProcess {
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends SIGTERM (then SIGKILL after 5 s) and waits for exit. */
  stop(): Promise<void>;
}

/**
 * Starts a long-running peer, waits until `readyUrl` answers 2xx, and stops it when the current
 * test (or the `afterAll` hook calling this) finishes. Output is kept for failure messages.
 */
export async function startProcess(command: string, args: string[], options: { readyUrl?: string; readyTimeoutMs?: number; cwd?: string; env?: NodeJS.ProcessEnv; stopWithTest?: boolean } = {}): Promise<RunningProcess> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const running: RunningProcess = {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  if (options.stopWithTest ?? false) onTestFinished(() => running.stop());
  if (options.readyUrl !== undefined) {
    try {
      await Promise.race([
        waitForHttp(options.readyUrl, options.readyTimeoutMs),
        exited.then(() => {
          throw new Error(`${command} exited before becoming ready`);
        }),
      ]);
    } catch (err) {
      await running.stop();
      throw new Error(`${(err as Error).message}\n--- ${command} output ---\n${output}`);
    }
  }
  return running;
}
