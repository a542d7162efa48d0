import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding pnpm-workspace.yaml). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('testkit: cannot find the repository root (no pnpm-workspace.yaml above this file)');
    dir = parent;
  }
  return dir;
}

/**
 * The shared folder beside the repository (`../shared`), or `$PYROMETER_SHARED_DIR`. Upstream's
 * conformance data and references are read from there, never copied into the project.
 */
export function sharedDir(): string {
  const dir = process.env['PYROMETER_SHARED_DIR'] ?? resolve(repoRoot(), '..', 'shared');
  if (!existsSync(dir)) throw new Error(`testkit: the shared folder ${dir} does not exist; set PYROMETER_SHARED_DIR to point at it`);
  return dir;
}

/** `<shared>/conformance/<sub>`, or `$PYROMETER_CONFORMANCE_DIR/<sub>`. */
export function conformanceDir(sub = ''): string {
  const base = process.env['PYROMETER_CONFORMANCE_DIR'] ?? join(sharedDir(), 'conformance');
  const dir = join(base, sub);
  if (!existsSync(dir)) throw new Error(`testkit: conformance folder ${dir} does not exist; set PYROMETER_CONFORMANCE_DIR to point at shared/conformance`);
  return dir;
}
