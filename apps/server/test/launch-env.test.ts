import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The environment every start path gives the server (launch-env.json; README, "Launch environment").
const LAUNCH_ENV = JSON.parse(readFileSync(join(import.meta.dirname, '../launch-env.json'), 'utf8')) as Record<string, string>;

/** A process's main-thread young generation (MiB, both semi-spaces) after allocating enough, with much surviving, for V8 to grow it. */
function grownNewSpaceMb(env: NodeJS.ProcessEnv): number {
  const script = `
    const v8 = require('node:v8');
    let keep = [];
    for (let i = 0; i < 3e6; i++) { keep.push({ i }); if (keep.length > 3e5) keep = []; }
    console.log(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 2 ** 20);`;
  const run = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return Number(run.stdout);
}

describe('launch environment', () => {
  it("caps the main thread's semi-spaces of a process started with it", () => {
    const semiSpaceMb = Number(/--max-semi-space-size=(\d+)/.exec(LAUNCH_ENV['NODE_OPTIONS'] ?? '')?.[1]);
    expect(semiSpaceMb).toBeGreaterThan(0);
    const { NODE_OPTIONS: _, ...bare } = process.env;
    expect(grownNewSpaceMb(bare)).toBeGreaterThan(2 * semiSpaceMb);
    expect(grownNewSpaceMb({ ...bare, ...LAUNCH_ENV })).toBeLessThanOrEqual(2 * semiSpaceMb);
  });
});
