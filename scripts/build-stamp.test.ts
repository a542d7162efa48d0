import { copyFileSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { buildInputs, installInputs, recordSuccess, staleSteps } from './build-stamp.mjs';
import { runScript } from './stack-harness.js';

/** A small workspace as pnpm and the build leave it: two packages, one built, installed. */
function workspace(): string {
  const root = tempDir('pyrometer-stamp-');
  const write = (path: string, text: string): void => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('package.json', JSON.stringify({ name: 'w', packageManager: 'pnpm@10.34.9' }));
  write('pnpm-lock.yaml', "lockfileVersion: '9.0'\n");
  write('pnpm-workspace.yaml', 'packages:\n  - packages/*\n  - deploy\n\ncatalog:\n  yaml: 2.9.1\n');
  write('tsconfig.base.json', '{}');
  write('node_modules/.modules.yaml', 'layoutVersion: 5\n');
  write('packages/a/package.json', JSON.stringify({ name: 'a', scripts: { build: 'tsc' } }));
  write('packages/a/src/index.ts', 'export const a = 1;\n');
  write('packages/a/src/index.test.ts', 'test\n');
  write('packages/a/test/e2e.test.ts', 'test\n');
  write('packages/a/README.md', '# a\n');
  write('packages/a/dist/index.js', 'export const a = 1;\n');
  write('deploy/package.json', JSON.stringify({ name: 'deploy' }));
  write('deploy/prometheus.yml', 'global: {}\n');
  return root;
}

function built(root: string): string {
  recordSuccess(root, { install: installInputs(root), build: buildInputs(root) });
  return root;
}

describe('build stamp', () => {
  it('finds nothing to redo right after a successful install and build', () => {
    expect(staleSteps(built(workspace()))).toEqual({ install: false, build: false });
  });

  it('ignores what the build does not read: tests, docs, benchmarks', () => {
    const root = built(workspace());
    writeFileSync(join(root, 'packages/a/test/e2e.test.ts'), 'changed\n');
    writeFileSync(join(root, 'packages/a/README.md'), 'changed\n');
    expect(staleSteps(root)).toEqual({ install: false, build: false });
  });

  it.each([
    { name: 'a source file changed', change: (r: string) => writeFileSync(join(r, 'packages/a/src/index.ts'), 'export const a = 2;\n'), install: false },
    { name: 'a source file added', change: (r: string) => writeFileSync(join(r, 'packages/a/src/b.ts'), 'export const b = 1;\n'), install: false },
    { name: 'a tsconfig changed', change: (r: string) => writeFileSync(join(r, 'tsconfig.base.json'), '{"compilerOptions":{}}'), install: false },
    { name: 'a non-package workspace file changed', change: (r: string) => writeFileSync(join(r, 'deploy/prometheus.yml'), 'global: {scrape_interval: 1s}\n'), install: false },
    { name: 'a dist file deleted', change: (r: string) => rmSync(join(r, 'packages/a/dist/index.js')), install: false },
    { name: 'a dist file touched', change: (r: string) => utimesSync(join(r, 'packages/a/dist/index.js'), new Date(), new Date(Date.now() + 5_000)), install: false },
    { name: 'the lockfile changed', change: (r: string) => writeFileSync(join(r, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n# more\n"), install: true },
    { name: "a package's package.json changed", change: (r: string) => writeFileSync(join(r, 'packages/a/package.json'), JSON.stringify({ name: 'a', scripts: { build: 'tsc -b' } })), install: true },
    { name: 'node_modules removed', change: (r: string) => rmSync(join(r, 'node_modules'), { recursive: true }), install: true },
  ])('redoes the build when $name (install too: $install)', ({ change, install }) => {
    const root = built(workspace());
    change(root);
    expect(staleSteps(root)).toEqual({ install, build: true });
  });

  it('rebuilds after an install that was not followed by a build', () => {
    const root = workspace();
    recordSuccess(root, { install: installInputs(root) });
    expect(staleSteps(root)).toEqual({ install: false, build: true });
  });
});

describe('npm start with nothing changed', () => {
  it('skips install and build and goes straight to the stack', async () => {
    const root = built(workspace());
    mkdirSync(join(root, 'scripts'));
    for (const f of readdirSync(join(repoRoot(), 'scripts')).filter((f) => f.endsWith('.mjs'))) copyFileSync(join(repoRoot(), 'scripts', f), join(root, 'scripts', f));
    // A bad port makes the stack stop at once, which shows that quickstart reached it. CI is
    // cleared: under CI=true quickstart always installs and builds, by design.
    const run = runScript(root, 'quickstart.mjs', { PYROMETER_SERVER_PORT: 'none', CI: '' }, ['start']);
    expect(await run.exited).toBe(2);
    expect(run.stdout()).toContain('[start] dependencies and build are up to date');
    expect(run.stderr()).toContain('[stack] error: PYROMETER_SERVER_PORT="none" is not a port number');
    expect(run.output()).not.toMatch(/pnpm|Lockfile|Scope: all/);
  }, 30_000);
});
