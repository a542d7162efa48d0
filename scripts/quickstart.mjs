// The README's two commands: `npm start` (install, build, run the local stack) and `npm test`
// (install, build, then lint, type check, unused-code check and every test). Install and build
// are skipped when nothing they read changed since they last succeeded (scripts/build-stamp.mjs);
// under CI=true they always run.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildInputs, installInputs, recordSuccess, staleSteps } from './build-stamp.mjs';
import { pnpm, root } from './pnpm.mjs';
import { testSummary } from './test-summary.mjs';

const RESULTS = join(root, 'node_modules/.cache/pyrometer/vitest-results.json');

const command = process.argv[2];
if (command !== 'start' && command !== 'test') {
  console.error('usage: node scripts/quickstart.mjs start|test');
  process.exit(2);
}

const ci = process.env['CI'] === 'true';
const steps = ci ? { install: true, build: true } : staleSteps(root);
if (steps.install) {
  pnpm(['install', ci ? '--frozen-lockfile' : '--prefer-offline', '--reporter=append-only']);
  recordSuccess(root, { install: installInputs(root) });
}
if (steps.build) {
  const inputs = { install: installInputs(root), build: buildInputs(root) };
  pnpm(['run', 'build']);
  recordSuccess(root, inputs);
} else console.log(`[${command}] dependencies and build are up to date (nothing they read changed since the last build)`);

if (command === 'test') {
  rmSync(RESULTS, { force: true });
  process.on('exit', () => {
    if (existsSync(RESULTS)) console.log(testSummary(JSON.parse(readFileSync(RESULTS, 'utf8'))).join('\n'));
  });
  pnpm(['run', 'check']);
} else await import('./stack.mjs');
