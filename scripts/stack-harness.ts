import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempDir } from '@pyrometer/testkit';
import { onTestFinished } from 'vitest';

const repo = repoRoot();

/**
 * A throwaway copy of the repository as the stack scripts see it: the scripts and root
 * package.json copied (the scripts find the root from their own location), the built apps and
 * deploy/rules, deploy/flink linked, deploy/local/alertmanager.yml copied and
 * deploy/local/prometheus.yml written from `config` (default: the repository's). Installed packages are found through the linked apps.
 */
export function stackRoot(config = readFileSync(join(repo, 'deploy', 'local', 'prometheus.yml'), 'utf8')): string {
  const root = tempDir('pyrometer-stack-root-');
  mkdirSync(join(root, 'scripts'));
  for (const f of readdirSync(join(repo, 'scripts')).filter((f) => f.endsWith('.mjs'))) copyFileSync(join(repo, 'scripts', f), join(root, 'scripts', f));
  copyFileSync(join(repo, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(repo, 'apps'), join(root, 'apps'));
  mkdirSync(join(root, 'deploy', 'local'), { recursive: true });
  for (const d of ['rules', 'flink']) symlinkSync(join(repo, 'deploy', d), join(root, 'deploy', d));
  writeFileSync(join(root, 'deploy', 'local', 'prometheus.yml'), config);
  copyFileSync(join(repo, 'deploy', 'local', 'alertmanager.yml'), join(root, 'deploy', 'local', 'alertmanager.yml'));
  return root;
}

/** A running `node scripts/<script>` of a stack root. */
export interface StackRun {
  output(): string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** Resolves once `text` appears in the output; rejects when the process exits first or after `timeoutMs`. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  signal(signal: NodeJS.Signals): void;
}

/**
 * Runs `node <root>/scripts/<script> [args]` with the given PYROMETER_* variables (the caller's
 * own PYROMETER_* variables are dropped). When the test finishes, the run and every service it
 * reported starting (`started (pid N)`) are killed if still alive.
 */
export function runScript(root: string, script: string, env: Record<string, string>, args: string[] = []): StackRun {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PYROMETER_')));
  const child = spawn(process.execPath, [join(root, 'scripts', script), ...args], { cwd: root, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let output = '';
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const w of waiters) w();
  };
  child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()), (output += d.toString()), notify()));
  child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()), (output += d.toString()), notify()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? String(signal))));
  void exited.then(notify);
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    for (const m of output.matchAll(/started \(pid (\d+)\)/g)) {
      try {
        process.kill(Number(m[1]), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  return {
    output: () => output,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    signal: (s) => child.kill(s),
    waitFor: (text, timeoutMs = 60_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`timed out after ${timeoutMs} ms waiting for ${JSON.stringify(text)}\n--- output ---\n${output}`)), timeoutMs);
        const check = (): void => {
          if (output.includes(text)) done(undefined);
          else if (child.exitCode !== null || child.signalCode !== null) done(new Error(`exited before ${JSON.stringify(text)} appeared\n--- output ---\n${output}`));
        };
        const done = (err: Error | undefined): void => {
          clearTimeout(timer);
          waiters.delete(check);
          if (err === undefined) resolve();
          else reject(err);
        };
        waiters.add(check);
        check();
      }),
  };
}
