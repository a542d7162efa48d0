// Runs the workspace's pinned pnpm (from package.json "packageManager") through npx, so a fresh
// machine with only Node and npm needs nothing installed by hand.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/**
 * Runs `pnpm <args>` in the repository root, inheriting stdio; exits the process on failure.
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} [options]
 */
export function pnpm(args, options = {}) {
  const result = spawnSync('npx', ['--yes', packageManager, ...args], { cwd: root, stdio: 'inherit', env: { ...process.env, npm_config_update_notifier: 'false', TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' }, ...options });
  if (result.status !== 0) {
    console.error(`pyrometer: 'pnpm ${args.join(' ')}' failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}
