import { spawn, type ChildProcess } from 'node:child_process';
import { onTestFinished } from 'vitest';
import { waitForHttp } from './net.js';

export interface RunningProcess {
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends SIGTERM to its process group (then SIGKILL after `stopTimeoutMs`, 5 s by default) and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts a long-running peer, waits until `readyUrl` answers 2xx, and stops it when the current
 * test (or the `afterAll` hook calling this) finishes. Output is kept for failure messages.
 */
export async function startProcess(command: string, args: string[], options: { readyUrl?: string; readyTimeoutMs?: number; cwd?: string; env?: NodeJS.ProcessEnv; stopWithTest?: boolean; stopTimeoutMs?: number } = {}): Promise<RunningProcess> {
  // Its own process group, so stopping it also reaches anything it started (e.g. the stack runner's services).
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const running: RunningProcess = {
    child,
    output: () => output,
    async stop() {
      // Signal the group even when the child itself is gone: what it started may still run.
      signalGroup(child, 'SIGTERM');
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), options.stopTimeoutMs ?? 5_000);
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

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    child.kill(signal); // the group is gone already; make sure the child itself is
  }
}
